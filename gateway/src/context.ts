import type { Identity } from '@clinic/contracts';

export interface GatewayContext {
  identity: Identity | null;
  correlationId: string;
}
