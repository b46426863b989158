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
import { createTrailLoaders } from './trail/loaders';
import { recordEvent } from './trail/record-event';
import { trailResolvers } from './trail/resolvers';

export interface AuditServiceOptions {
  databaseUrl: string;
  port: number;
  bus: EventBus;
  logger?: Logger;
  /** Called with every SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
}

export async function startAuditService(options: AuditServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('audit');
  const db = connectAuditDatabase(options.databaseUrl, options.onQuery);
  await options.bus.subscribe({
    topic: 'appointments',
    group: 'audit',
    handle: (event) => recordEvent(db, event),
  });
  const server = await startSubgraphServer<AuditContext>({
    name: 'audit',
    typeDefs: loadSubgraphSchema('audit'),
    resolvers: [{ DateTime: DateTimeResolver }, trailResolvers],
    createContext: (request) => ({ ...request, db, loaders: createTrailLoaders(db, request.identity) }),
    readiness: async () => ({ 'database:audit': await probeDatabase(db) }),
    logger,
    port: options.port,
  });
  return { ...server, stop: async () => (await server.stop(), await db.$disconnect()) };
}
