import { DateTimeResolver } from 'graphql-scalars';
import {
  createLogger,
  loadSubgraphSchema,
  probeDatabase,
  startSubgraphServer,
  type EventBus,
  type Logger,
  type RunningServer,
} from '@clinic/platform';
import type { AuditContext } from './context';
import { connectAuditDatabase } from './database';
import { startAuditConsumers } from './events/consumers';
import { createTrailLoaders } from './trail/loaders';
import { startCheckpointing, type CheckpointSink } from './trail/checkpoints';
import { deadLetterResolvers } from './dead-letters/resolvers';
import { trailResolvers } from './trail/resolvers';

export interface AuditServiceOptions {
  databaseUrl: string;
  port: number;
  /** Interface to listen on (default loopback) and where schema/*.graphql is (default the repository's). */
  host?: string;
  schemaDir?: string;
  /** Shared with the gateway, which signs each request's identity; without it every request is refused. */
  internalIdentitySecret?: string;
  bus: EventBus;
  logger?: Logger;
  /** Called with every SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
  /** Where to export the hash chain's head every `intervalMs` (default 60 s); verification reads them. */
  checkpoints?: { sink: CheckpointSink; intervalMs?: number };
}

export async function startAuditService(options: AuditServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('audit');
  const db = connectAuditDatabase(options.databaseUrl, options.onQuery);
  const consumers = await startAuditConsumers(db, options.bus);
  const checkpointing = options.checkpoints
    ? startCheckpointing(db, options.checkpoints.sink, options.checkpoints.intervalMs ?? 60_000, logger)
    : null;
  const server = await startSubgraphServer<AuditContext>({
    name: 'audit',
    typeDefs: loadSubgraphSchema('audit', options.schemaDir),
    ...(options.host ? { host: options.host } : {}),
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
      'event-bus:audit': await options.bus.health(),
    }),
    logger,
    port: options.port,
    internalIdentitySecret: options.internalIdentitySecret,
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await checkpointing?.stop();
      await consumers.stop();
      await db.$disconnect();
    },
  };
}
