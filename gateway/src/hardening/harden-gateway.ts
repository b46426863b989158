import type { RequestHandler } from 'express';
import type { Identity } from '@clinic/contracts';
import { useArmor } from './use-armor';
import { useBatchLimit } from './use-batch-limit';
import { useAddressPacing } from './use-address-pacing';
import { useRateLimits } from './use-rate-limit';
import type { HardeningOptions } from './options';
import type { CostModel } from './cost';

/**
 * The gateway's defences, gathered for wiring: Apollo settings and plugins, the per-address limit that
 * runs before any body is read, the Express middleware that runs before Apollo on /graphql, and the
 * per-subject limit the context function applies once the token is verified. The body limit and strict
 * UTF-8 live in the shared HTTP shell (createHttpApp).
 */
export function hardenGateway(
  options: HardeningOptions,
  /** The supergraph's `@cost`/`@listSize` (costModelFromSupergraph), current with the served schema. */
  costModel: () => CostModel,
): {
  apollo: {
    introspection: boolean;
    csrfPrevention: true;
    allowBatchedHttpRequests: true;
  } & Omit<ReturnType<typeof useArmor>, 'plugins'>;
  plugins: ReturnType<typeof useArmor>['plugins'];
  beforeBody: RequestHandler[];
  middleware: RequestHandler[];
  limitSubject: (identity: Identity | null, operations: number) => Promise<void>;
} {
  const limits = useRateLimits(options);
  const { plugins, ...armor } = useArmor(options.mode, costModel);
  return {
    apollo: {
      // The development console needs introspection; production hides the schema from strangers.
      introspection: options.mode === 'development',
      // Apollo's built-in CSRF prevention: a GET or a "simple" POST must carry a preflight-forcing header.
      csrfPrevention: true,
      allowBatchedHttpRequests: true,
      ...armor,
    },
    plugins,
    beforeBody: [
      useAddressPacing({
        concurrent: options.ipConcurrentRequests,
        perSecond: options.ipRequestsPerSecond,
        burst: options.ipBurst,
        queued: options.ipQueuedRequests,
      }),
      limits.perIp,
    ],
    middleware: [useBatchLimit(options.maxBatchSize)],
    limitSubject: limits.perSubject,
  };
}
