import type { LiveHub } from './live-hub';

/**
 * The live hubs of the gateways running in this process.
 *
 * @deprecated Read `live` on what startGateway returns. Kept only for readers that have no handle on
 * the running gateway yet: dev/bench/gateway-process.ts (it starts the gateway through dev/serve's
 * serve(), which keeps only `stop`) and system/live/live-updates.int.test.ts (through the test system).
 * Delete this file once they read the hub from the running gateway.
 */
export const liveHubs = new Set<LiveHub>();
