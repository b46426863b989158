export { readCommittedSupergraph, startGateway, type GatewayOptions, type RunningGateway } from './gateway';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './auth/verify-token';
export { DEFAULT_HARDENING, type HardeningOptions } from './hardening/options';
export type { ConsoleMode } from './console/console';
export type { LiveOptions } from './subscriptions/mount-live';
export { NOTIFICATIONS_PAGE_PATH } from './notifications-page/notifications-page';
export type { LiveHub, LiveHubStats } from './subscriptions/live-hub';
