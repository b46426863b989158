import type { GatewayConfig } from '@apollo/gateway';
import { metrics } from '@clinic/platform';
import { LRUCache } from 'lru-cache';

type QueryPlanCache = NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>;
type QueryPlan = NonNullable<Awaited<ReturnType<QueryPlanCache['get']>>>;

/** Apollo's default query-plan store size (30 MiB of plans, measured as their JSON). */
const MAX_BYTES = 30 * 2 ** 20;

/**
 * The gateway's query-plan store, counting graphql_query_plan_cache_requests_total. @apollo/gateway 2.x
 * looks every validated operation's plan up in `queryPlannerConfig.cache` (its `queryPlanStore`) before
 * planning, and stores what it planned: a lookup that finds a plan is a hit, one that does not a miss.
 * Apollo's own store is private, so this one, an LRU bounded like Apollo's default, is passed in its
 * place through the gateway's config.
 */
export function countedQueryPlanCache(): QueryPlanCache {
  const plans = new LRUCache<string, QueryPlan>({
    maxSize: MAX_BYTES,
    sizeCalculation: (plan) => Math.max(1, Buffer.byteLength(JSON.stringify(plan), 'utf8')),
  });
  return {
    async get(key) {
      const plan = plans.get(key);
      metrics.queryPlanCache.inc({ service: 'gateway', result: plan ? 'hit' : 'miss' });
      return plan;
    },
    async set(key, plan) {
      plans.set(key, plan);
    },
    async delete(key) {
      return plans.delete(key);
    },
    clear() {
      plans.clear();
    },
  };
}
