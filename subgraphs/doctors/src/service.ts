import {
  createLogger,
  loadSubgraphSchema,
  probeDatabase,
  startSubgraphServer,
  type Logger,
  type RunningServer,
} from '@clinic/platform';
import { connectDoctorsDatabase } from './database';
import { createDirectoryLoaders } from './directory/loaders';
import { directoryResolvers } from './directory/resolvers';
import type { DoctorsContext } from './context';

export interface DoctorsServiceOptions {
  databaseUrl: string;
  port: number;
  /** Shared with the gateway, which signs each request's identity; default INTERNAL_IDENTITY_SECRET. */
  internalIdentitySecret?: string;
  logger?: Logger;
  /** Called with every SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
}

export async function startDoctorsService(options: DoctorsServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('doctors');
  const db = connectDoctorsDatabase(options.databaseUrl, options.onQuery);
  const server = await startSubgraphServer<DoctorsContext>({
    name: 'doctors',
    typeDefs: loadSubgraphSchema('doctors'),
    resolvers: [directoryResolvers],
    createContext: (request) => ({ ...request, db, loaders: createDirectoryLoaders(db) }),
    readiness: async () => ({ 'database:doctors': await probeDatabase(db) }),
    logger,
    port: options.port,
    internalIdentitySecret: options.internalIdentitySecret,
  });
  return { ...server, stop: async () => (await server.stop(), await db.$disconnect()) };
}
