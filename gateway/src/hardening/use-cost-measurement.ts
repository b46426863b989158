import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '@clinic/platform';
import { actualCost, COST_FACTOR, estimateCost, type CostModel } from './cost';

/** Counters for operations measured in this process (read by tests and the bench). */
export interface CostStats {
  /** Operations executed whose response was measured. */
  measured: number;
  /** Of those, how many cost more than their estimate × COST_FACTOR (each is logged as a warning). */
  overEstimate: number;
  /** The largest actual / estimate ratio seen. */
  worstRatio: number;
}

export const costStats: CostStats = { measured: 0, overEstimate: 0, worstRatio: 0 };

/**
 * Measures executed operations' actual cost, each one (by hash) at most every `everyMs` (cost.ts: what
 * its response holds, weighed as the estimate weighs it) against its estimate, and logs both as numbers
 * with the operation's hash (sha256 of its text, as Apollo computes it), never the text: it may carry a
 * patient's email or phone. An operation whose actual cost passes estimate × COST_FACTOR means some list
 * holds more than its `@listSize` says: that size must be raised, and the warning says which operation
 * showed it.
 */
export function useCostMeasurement(
  logger: Logger,
  costModel: () => CostModel,
  /** How often one operation (by hash) is measured at most: walking every answer cost more than planning it. */
  everyMs = 10_000,
): ApolloServerPlugin<BaseContext> {
  const lastMeasured = new Map<string, number>();
  return {
    async requestDidStart() {
      let estimated: number | null = null;
      return {
        // Only what is executed: an answer from the response cache was measured when it was computed.
        async executionDidStart({ schema, document, operation, queryHash }) {
          const now = Date.now();
          if (!operation || now - (lastMeasured.get(queryHash) ?? -Infinity) < everyMs) return;
          // Bounded: a flood of distinct documents forgets the oldest instead of growing.
          if (lastMeasured.size >= 10_000) lastMeasured.clear();
          lastMeasured.set(queryHash, now);
          estimated = estimateCost(schema, costModel(), document, operation);
        },
        async willSendResponse({ schema, document, operation, queryHash, response }) {
          if (estimated === null || !document || !operation || response.body.kind !== 'single') return;
          const actual = actualCost(
            schema,
            costModel(),
            document,
            operation,
            response.body.singleResult.data,
          );
          costStats.measured++;
          const ratio = estimated > 0 ? actual / estimated : actual > 0 ? Number.POSITIVE_INFINITY : 0;
          costStats.worstRatio = Math.max(costStats.worstRatio, ratio);
          const fields = { operationHash: queryHash, estimatedCost: estimated, actualCost: actual };
          if (actual > estimated * COST_FACTOR) {
            costStats.overEstimate++;
            logger.warn(fields, 'operation cost more than its estimate: a @listSize is too small');
          } else {
            // Every operation's numbers are for a developer looking at one; only an underestimate is news.
            logger.debug(fields, 'operation cost');
          }
        },
      };
    },
  };
}
