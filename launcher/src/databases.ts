import path from 'node:path';
import { DATABASE_NAMES, databaseUrlVariable, type DatabaseName } from '@clinic/contracts';
import { applyMigrations, startEmbeddedPostgres, type EmbeddedPostgres } from '@clinic/platform';

export const repoRoot = path.resolve(__dirname, '..', '..');

export function migrationsDir(name: DatabaseName): string {
  return path.join(repoRoot, 'prisma', name, 'migrations');
}

export interface Databases {
  urls: Record<DatabaseName, string>;
  /** Which databases run embedded (PGlite) rather than on a server named by DATABASE_URL_<NAME>. */
  embedded: DatabaseName[];
  stop(): Promise<void>;
}

/**
 * Each database comes from its DATABASE_URL_<NAME> variable when set, otherwise from an embedded PGlite
 * kept in `dataDir` (or in memory when dataDir is null).
 */
export async function openDatabases(options: {
  dataDir: string | null;
  basePort: number;
  env?: NodeJS.ProcessEnv;
}): Promise<Databases> {
  const env = options.env ?? process.env;
  const configured = Object.fromEntries(
    DATABASE_NAMES.flatMap((name) => {
      const url = env[databaseUrlVariable(name)];
      return url ? [[name, url]] : [];
    }),
  ) as Partial<Record<DatabaseName, string>>;
  const embedded = DATABASE_NAMES.filter((name) => !configured[name]);
  let pglite: EmbeddedPostgres | null = null;
  if (embedded.length > 0) {
    pglite = await startEmbeddedPostgres({
      dataDir: options.dataDir,
      basePort: options.basePort,
      databases: embedded,
    });
  }
  return {
    urls: { ...pglite?.urls, ...configured } as Record<DatabaseName, string>,
    embedded,
    stop: async () => pglite?.stop(),
  };
}

export async function migrateAll(
  urls: Record<DatabaseName, string>,
): Promise<Record<DatabaseName, string[]>> {
  const applied = {} as Record<DatabaseName, string[]>;
  for (const name of DATABASE_NAMES) {
    applied[name] = (await applyMigrations(urls[name], migrationsDir(name))).applied;
  }
  return applied;
}
