import { createLogger } from '@clinic/platform';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway';

/** Nothing listens on port 1: a subgraph fetch fails at once. */
const NOWHERE = 'http://127.0.0.1:1/graphql';

/**
 * A gateway on a free port with no subgraph to reach and no token it accepts, logging nothing: for tests
 * of what it does around the requests (health, shutdown, what it sends out). `options` adds or replaces.
 */
export function startGatewayAlone(options: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
  return startGateway({
    port: 0,
    subgraphs: { doctors: NOWHERE, appointments: NOWHERE, patients: NOWHERE, audit: NOWHERE },
    verifyToken: async () => null,
    internalIdentitySecret: 'a-secret-of-at-least-thirty-two-characters',
    logger: createLogger('gateway', 'silent'),
    ...options,
  });
}
