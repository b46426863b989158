import {
  createLogger,
  loadSubgraphSchema,
  probeDatabase,
  startSubgraphServer,
  type Logger,
  type RunningServer,
} from '@clinic/platform';
import type { PatientsContext } from './context';
import { connectPatientsDatabase, connectVaultDatabase } from './database';
import { createPatientLoaders } from './registry/loaders';
import { registryResolvers } from './registry/resolvers';
import { profileResolvers } from './vault/profile';

export interface PatientsServiceOptions {
  databaseUrl: string;
  vaultDatabaseUrl: string;
  port: number;
  /** Shared with the gateway, which signs each request's identity; default INTERNAL_IDENTITY_SECRET. */
  internalIdentitySecret?: string;
  logger?: Logger;
  /** Called with every SQL statement on each database; tests count queries with them. */
  onQuery?: (sql: string) => void;
  onVaultQuery?: (sql: string) => void;
}

export async function startPatientsService(options: PatientsServiceOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('patients');
  const db = connectPatientsDatabase(options.databaseUrl, options.onQuery);
  const vault = connectVaultDatabase(options.vaultDatabaseUrl, options.onVaultQuery);
  const server = await startSubgraphServer<PatientsContext>({
    name: 'patients',
    typeDefs: loadSubgraphSchema('patients'),
    resolvers: [registryResolvers, profileResolvers],
    createContext: (request) => ({ ...request, db, vault, loaders: createPatientLoaders(db, vault) }),
    readiness: async () => ({
      'database:patients': await probeDatabase(db),
      'database:pii_vault': await probeDatabase(vault),
    }),
    logger,
    port: options.port,
    internalIdentitySecret: options.internalIdentitySecret,
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await Promise.all([db.$disconnect(), vault.$disconnect()]);
    },
  };
}
