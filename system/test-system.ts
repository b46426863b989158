import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseName, Identity } from '@clinic/contracts';
import { issueDevToken } from '@clinic/platform';
import {
  createTestDatabases,
  databaseEnv,
  LIFTED_LIMITS,
  postGraphQL,
  type GraphQLRequestOptions,
  type GraphQLResponse,
} from '@clinic/testing';
import {
  DEFAULT_SEED,
  loadConfig,
  seed,
  startSystem,
  type RunningSystem,
  type SeedOptions,
  type SystemOptions,
} from '@clinic/launcher';

// Where the system tests and benches have always found them.
export { LIFTED_LIMITS, type GraphQLResponse };

export interface TestSystem extends Omit<RunningSystem, 'signingKey' | 'vaultKeys'> {
  signingKey: NonNullable<RunningSystem['signingKey']>;
  vaultKeys: NonNullable<RunningSystem['vaultKeys']>;
  /** Every SQL statement since the last reset, by database. */
  queries: Record<string, string[]>;
  resetQueries(): void;
  token(identity: Identity, expiresIn?: string | number): Promise<string>;
  graphql(query: string, options?: GraphQLRequestOptions): Promise<GraphQLResponse>;
}

/** The whole system in memory, on free ports, seeded small: what end-to-end tests run against. */
export async function startTestSystem(
  seedOptions: Partial<SeedOptions> = {},
  /** DATABASE_URL_<NAME> and KAFKA_BROKERS to run on real infrastructure; embedded when absent. */
  env: NodeJS.ProcessEnv = {},
  /** Where the services log and how much; LOG_LEVEL (default silent) to stdout when absent. */
  logging: { logLevel?: string; logDestination?: SystemOptions['logDestination'] } = {},
  /** Stand-ins for what a test cannot reach (SNS's certificates). */
  seams: Pick<SystemOptions, 'snsCertificates'> = {},
): Promise<TestSystem> {
  const queries: Record<string, string[]> = {};
  // The same configuration module as production, read from what the test names (never this process's
  // environment), on free ports.
  const config = loadConfig(
    {
      ...LIFTED_LIMITS,
      // Publish no further ahead than the seed did: nothing rolls forward in the background during a test.
      AVAILABILITY_HORIZON_DAYS: String(seedOptions.days ?? 14),
      LOG_LEVEL: logging.logLevel ?? process.env['LOG_LEVEL'] ?? 'silent',
      PORT: '0',
      METRICS_PORT: '0',
      SUBGRAPH_PORT_BASE: '0',
      EMBEDDED_DB_PORT: '0',
      ...env,
    },
    'all-in-one',
  );
  const system = await startSystem({
    config,
    dataDir: null,
    keyDir: mkdtempSync(path.join(os.tmpdir(), 'clinic-keys-')),
    ...(logging.logDestination ? { logDestination: logging.logDestination } : {}),
    ...seams,
    onQuery: (database: DatabaseName, sql: string) => (queries[database] ??= []).push(sql),
    prepare: async (urls, vaultKeys) => {
      await seed(
        urls,
        {
          ...DEFAULT_SEED,
          clinics: 3,
          doctors: 6,
          patients: 20,
          appointments: 60,
          days: 14,
          ...seedOptions,
        },
        undefined,
        vaultKeys,
      );
    },
  });
  const { signingKey, vaultKeys } = system;
  if (!signingKey || !vaultKeys)
    throw new Error('an all-in-one system has the development issuer and the vault');
  return {
    ...system,
    signingKey,
    vaultKeys,
    queries,
    resetQueries: () => {
      for (const list of Object.values(queries)) list.length = 0;
    },
    token: (identity, expiresIn) => issueDevToken(signingKey, identity, expiresIn),
    graphql: (query, options) => postGraphQL(system.gatewayUrl, query, options),
  };
}

/**
 * The whole system on fresh databases of the real PostgreSQL server (events in process unless `env`
 * names a broker); `stop` drops the databases too. `databaseUrls` lets a test read the rows directly.
 */
export async function startTestSystemOnRealPostgres(
  seedOptions: Partial<SeedOptions> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<TestSystem & { databaseUrls: Record<DatabaseName, string> }> {
  const databases = await createTestDatabases();
  const system = await startTestSystem(seedOptions, { ...databaseEnv(databases), ...env });
  return {
    ...system,
    databaseUrls: databases.urls,
    stop: async () => {
      await system.stop();
      await databases.drop();
    },
  };
}
