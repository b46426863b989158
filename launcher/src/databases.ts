import path from 'node:path';
import { DATABASE_NAMES, type DatabaseName } from '@clinic/contracts';
import { applyMigrations, startEmbeddedPostgres, type EmbeddedPostgres } from '@clinic/platform';

/** The repository's prisma/ folder; the image has its own (MIGRATIONS_DIR). */
export const REPOSITORY_MIGRATIONS_ROOT = path.resolve(__dirname, '..', '..', 'prisma');

export interface Databases {
  urls: Record<DatabaseName, string>;
  /** Which databases run embedded (PGlite) rather than on a configured server. */
  embedded: DatabaseName[];
  stop(): Promise<void>;
}

/**
 * Each database is the configured server when one is named, otherwise an embedded PGlite kept in
 * `dataDir` (or in memory when dataDir is null).
 */
export async function openDatabases(options: {
  dataDir: string | null;
  basePort: number;
  configured?: Partial<Record<DatabaseName, string>>;
}): Promise<Databases> {
  const configured = options.configured ?? {};
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
  migrationsRoot: string = REPOSITORY_MIGRATIONS_ROOT,
): Promise<Record<DatabaseName, string[]>> {
  const applied = {} as Record<DatabaseName, string[]>;
  for (const name of DATABASE_NAMES) {
    applied[name] = (
      await applyMigrations(urls[name], path.join(migrationsRoot, name, 'migrations'))
    ).applied;
  }
  return applied;
}
