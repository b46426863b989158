import type { ReadinessCheck } from '@clinic/platform';

/**
 * Each subgraph's readiness, its own checks (its databases, its consumers) and its own dependencies (its
 * broker): what the gateway's /readyz reports as dependencies.
 */
export function subgraphReadiness(subgraphs: Record<string, string>, timeoutMs = 2000): ReadinessCheck {
  return async () => {
    const entries = await Promise.all(
      Object.entries(subgraphs).map(async ([name, graphqlUrl]) => {
        const url = new URL('/readyz', graphqlUrl);
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
          const body = (await response.json()) as {
            checks?: Record<string, string>;
            dependencies?: Record<string, string>;
          };
          const own = { [`subgraph:${name}`]: response.ok ? 'ok' : `answered ${response.status}` };
          return { ...own, ...body.checks, ...body.dependencies };
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
