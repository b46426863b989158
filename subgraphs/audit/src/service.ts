import { DateTimeResolver } from 'graphql-scalars';
import { createLogger, loadSubgraphSchema, probeDatabase, startSubgraphServer, type EventBus, type Logger, type RunningServer } from '@clinic/platform';
import type { AuditContext } from './context';
import { connectAuditDatabase } from './database';
import { createTrailLoaders } from './trail/loaders';
import { AUDIT_CONSUMER, recordEvent, recordEvents } from './trail/record-event';
import { startCheckpointing, type CheckpointSink } from './trail/checkpoints';
import { recordDeadLetter } from './dead-letters/record-dead-letter';
import { deadLetterResolvers } from './dead-letters/resolvers';
import { trailResolvers } from './trail/resolvers';

export interface AuditServiceOptions {
  databaseUrl: string;
  port: number;
  /** Shared with the gateway, which signs each request's identity; default INTERNAL_IDENTITY_SECRET. */
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
  // One consumer group per topic (kafkajs assigns a group's partitions as if every member read every
  // topic); one inbox for all, event ids being unique. All append to the one chain, under its lock.
  for (const [topic, group] of [
    ['appointments', AUDIT_CONSUMER],
    ['doctors', `${AUDIT_CONSUMER}-doctors`],
    ['patients', `${AUDIT_CONSUMER}-patients`],
    ['audit', `${AUDIT_CONSUMER}-records`],
  ] as const) {
    await options.bus.subscribe({
      topic,
      group,
      handle: (event) => recordEvent(db, event),
      handleBatch: (events) => recordEvents(db, events),
    });
  }
  const checkpointing = options.checkpoints
    ? startCheckpointing(db, options.checkpoints.sink, options.checkpoints.intervalMs ?? 60_000, logger)
    : null;
  await options.bus.subscribeDeadLetters('audit-dead-letters', (deadLetter) =>
    recordDeadLetter(db, deadLetter),
  );
  const server = await startSubgraphServer<AuditContext>({
    name: 'audit',
    typeDefs: loadSubgraphSchema('audit'),
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
    stop: async () => (await server.stop(), await checkpointing?.stop(), await db.$disconnect()),
  };
}
