export { readCommittedSupergraph, startGateway, type GatewayOptions, type RunningGateway } from './gateway';
export {
  createTokenVerifier,
  tokenVerifierOptionsFromEnv,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './auth/verify-token';
export { DEFAULT_HARDENING, hardeningFromEnv, type HardeningOptions } from './hardening/options';
export { consoleModeFromEnv, type ConsoleMode } from './console/console';
export { liveOptionsFromEnv } from './subscriptions/mount-live';
export { NOTIFICATIONS_PAGE_PATH } from './dev/notifications-page';
export type { LiveHub, LiveHubStats } from './subscriptions/live-hub';
/** @deprecated Read `live` on the running gateway; see legacy-hub-registry.ts. */
export { liveHubs } from './subscriptions/legacy-hub-registry';
