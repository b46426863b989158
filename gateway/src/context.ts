import type { Identity } from '@clinic/contracts';

export interface GatewayContext {
  identity: Identity | null;
  correlationId: string;
  /** The request's fingerprint for the response cache's fast hits (fast-hits.ts), when it has one. */
  responseCacheFingerprint?: string;
}
