import type { Identity } from '@clinic/platform';

export interface GatewayContext {
  identity: Identity | null;
  correlationId: string;
}
