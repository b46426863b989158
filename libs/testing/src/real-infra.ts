import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable, type DatabaseName } from '@clinic/contracts';
import { applyMigrations } from '@clinic/platform';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Where a database's migrations are, from the repository's prisma/ folder. */
export function migrationsDir(name: DatabaseName): string {
  return path.join(repoRoot, 'prisma', name, 'migrations');
}

/** Where the real broker and PostgreSQL server are (set by the jest global setup), or a clear failure. */
export function realInfra(): { kafkaBrokers: string[]; postgresUrl: string } {
  const brokers = process.env['TEST_KAFKA_BROKERS'];
  const postgresUrl = process.env['TEST_POSTGRES_URL'];
  if (!brokers || !postgresUrl) {
    throw new Error(
      'This test needs real PostgreSQL and Kafka: run it through `npm test` (SKIP_INFRA must not be set).',
    );
  }
  return { kafkaBrokers: brokers.split(','), postgresUrl };
}

export interface TestDatabases {
  urls: Record<DatabaseName, string>;
  drop(): Promise<void>;
}

/** Fresh, empty databases on the real server for one test file, so files never see each other's rows. */
export async function createTestDatabases(
  names: readonly DatabaseName[] = DATABASE_NAMES,
  /** Any database URL on the server to use; the shared test server by default. */
  serverUrl: string = realInfra().postgresUrl,
): Promise<TestDatabases> {
  const postgresUrl = new URL(serverUrl);
  postgresUrl.pathname = '/postgres';
  const tag = randomBytes(4).toString('hex');
  const admin = new Client({ connectionString: postgresUrl.toString() });
  await admin.connect();
  const urls = {} as Record<DatabaseName, string>;
  try {
    for (const name of names) {
      const database = `t_${tag}_${name}`;
      await admin.query(`CREATE DATABASE "${database}"`);
      const url = new URL(postgresUrl);
      url.pathname = `/${database}`;
      urls[name] = url.toString();
    }
  } finally {
    await admin.end();
  }
  return {
    urls,
    drop: async () => {
      const client = new Client({ connectionString: postgresUrl.toString() });
      await client.connect();
      try {
        for (const name of names)
          await client.query(`DROP DATABASE IF EXISTS "t_${tag}_${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** One fresh database on the real server with its migrations applied: a test of one service's SQL. */
export async function migratedTestDatabase(
  name: DatabaseName,
): Promise<{ url: string; drop(): Promise<void> }> {
  const databases = await createTestDatabases([name]);
  await applyMigrations(databases.urls[name], migrationsDir(name));
  return { url: databases.urls[name], drop: () => databases.drop() };
}

/** Every service's `DATABASE_URL_<NAME>` for these databases: the whole system on the real server. */
export function databaseEnv(databases: TestDatabases): Record<string, string> {
  return Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]));
}
