import type { SubgraphName } from '@clinic/contracts';
import { eventually } from '@clinic/testing';
import { startPodSystem, type PodSystem } from './pods';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

/** The production drain settings; the proxy checks each backend every 250 ms (each check may take up to 5 s). */
const DRAIN = { DRAIN_DELAY_MS: '5000', DRAIN_TIMEOUT_MS: '10000', SHUTDOWN_TIMEOUT_MS: '30000' };

/**
 * The pod system with `service` running twice (`system.pods[service]` and a replica, which `system.stop()`
 * stops too), both with the production drain settings, behind a round-robin proxy that health-checks
 * `/readyz` like a load balancer: the clients' way in for the gateway, the gateway's way to a subgraph.
 * Returns once both are healthy (the subgraphs' consumers joined, the gateways' live consumers too).
 */
export async function startTwoReplicas(
  service: SubgraphName | 'gateway',
): Promise<{ system: PodSystem; proxy: RoundRobinProxy }> {
  const proxy = await startRoundRobinProxy({ checkEveryMs: 250 });
  let system: PodSystem | undefined;
  try {
    system = await startPodSystem({
      serviceEnv: { [service]: DRAIN },
      ...(service === 'gateway' ? {} : { subgraphUrls: { [service]: proxy.graphqlUrl } }),
    });
    proxy.add(system.pods[service].port);
    proxy.add((await system.startPod(service)).port);
    await eventually(async () => (proxy.backends.every((backend) => backend.healthy) ? true : undefined));
    return { system, proxy };
  } catch (error) {
    // The caller gets nothing to stop.
    await proxy.close();
    await system?.stop();
    throw error;
  }
}
