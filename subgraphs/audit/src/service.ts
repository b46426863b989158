import { DateTimeResolver } from 'graphql-scalars';
import {
  createLogger,
  probeDatabase,
  startSubgraphServer,
  type RunningServer,
  type ServiceOptions,
} from '@clinic/platform';
import type { AuditContext } from './context';
import { connectAuditDatabase } from './database';
import { startAuditConsumers } from './events/consumers';
import { createTrailLoaders } from './trail/loaders';
import { startChainWatch } from './trail/chain-watch';
import { startCheckpointing, type CheckpointSink } from './trail/checkpoints';
import { deadLetterResolvers } from './dead-letters/resolvers';
import { trailResolvers } from './trail/resolvers';

export interface AuditServiceOptions extends ServiceOptions {
  /** Where to export the hash chain's head every `intervalMs` (default 60 s); verification reads them. */
  checkpoints?: { sink: CheckpointSink; intervalMs?: number };
  /** Verify the whole chain in the background every `intervalMs` (the AuditChainBroken alert reads it). */
  chainWatch?: { intervalMs: number };
}

export async function startAuditService(options: AuditServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('audit');
  const db = connectAuditDatabase(options.databaseUrl, options.onQuery);
  const consumers = await startAuditConsumers(db, options.bus);
  const checkpointing = options.checkpoints
    ? startCheckpointing(db, options.checkpoints.sink, options.checkpoints.intervalMs ?? 60_000, logger)
    : null;
  const chainWatch = options.chainWatch
    ? startChainWatch(db, {
        intervalMs: options.chainWatch.intervalMs,
        checkpoints: options.checkpoints?.sink ?? null,
        logger,
      })
    : null;
  const server = await startSubgraphServer<AuditContext>({
    name: 'audit',
    service: options,
    resolvers: [{ DateTime: DateTimeResolver }, trailResolvers, deadLetterResolvers],
    createContext: (request) => ({
      ...request,
      db,
      bus: options.bus,
      loaders: createTrailLoaders(db, request.identity),
      checkpoints: options.checkpoints?.sink ?? null,
    }),
    readiness: async () => ({
      'database:audit': await probeDatabase(db),
    }),
    logger,
    stopAfter: [
      () => chainWatch?.stop(),
      () => checkpointing?.stop(),
      () => consumers.stop(),
      () => db.$disconnect(),
    ],
  });
  return server;
}
