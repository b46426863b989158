import type { Identity } from '@clinic/contracts';

export interface GatewayContext {
  identity: Identity | null;
  correlationId: string;
  /** The request's fingerprint for the response cache's fast hits (fast-hits.ts), when it has one. */
  responseCacheFingerprint?: string;
  /** Set on the response cache's own re-execution of a dropped answer (refresh-ahead), never by a caller. */
  responseCacheRefresh?: true;
}
