export { startGateway } from './gateway';
export { createTokenVerifier, type TokenVerifierOptions } from './auth/verify-token';
export { DEFAULT_HARDENING, type HardeningOptions } from './hardening/options';
export { NOTIFICATIONS_PAGE_PATH } from './notifications-page/notifications-page';
export type { LiveHub } from './subscriptions/live-hub';
export type { ResponseCache } from './response-cache/response-cache';
export {
  DEFAULT_TRUSTED_DOCUMENTS,
  type TrustedDocumentsMode,
  type TrustedDocumentsOptions,
} from './trusted-documents';
