import type { ReadinessCheck } from '@clinic/platform';

/** Ready when every subgraph says it is ready, which includes each one's databases. */
export function subgraphReadiness(subgraphs: Record<string, string>, timeoutMs = 2000): ReadinessCheck {
  return async () => {
    const entries = await Promise.all(
      Object.entries(subgraphs).map(async ([name, graphqlUrl]) => {
        const url = new URL('/readyz', graphqlUrl);
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
          const body = (await response.json()) as { checks?: Record<string, string> };
          const own = { [`subgraph:${name}`]: response.ok ? 'ok' : `answered ${response.status}` };
          return { ...own, ...body.checks };
        } catch (error) {
          return {
            [`subgraph:${name}`]: `unreachable: ${error instanceof Error ? error.message : String(error)}`,
          };
        }
      }),
    );
    return Object.assign({}, ...entries) as Record<string, string>;
  };
}
