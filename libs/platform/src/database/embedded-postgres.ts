import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DATABASE_NAMES, type DatabaseName } from '@clinic/contracts';

export interface EmbeddedPostgres {
  urls: Record<DatabaseName, string>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder kept between runs; null keeps everything in memory (tests). */
  dataDir: string | null;
  /** First port; database i listens on basePort + i. 0 lets the system pick free ports. */
  basePort: number;
  databases?: readonly DatabaseName[];
}

/**
 * One PGlite (WASM PostgreSQL) per database, each served over the PostgreSQL wire protocol so the
 * services use the very same driver (`pg` through @prisma/adapter-pg) as against a real server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const names = options.databases ?? DATABASE_NAMES;
  const started: { db: PGlite; server: PGLiteSocketServer }[] = [];
  const urls = {} as Record<DatabaseName, string>;
  const stop = async () => {
    for (const { db, server } of started.reverse()) {
      await server.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
    }
  };
  try {
    await Promise.all(
      names.map(async (name, index) => {
        const folder = options.dataDir ? path.join(options.dataDir, 'pglite', name) : null;
        if (folder) mkdirSync(folder, { recursive: true });
        // btree_gist backs the exclusion constraints that make double booking impossible.
        const db = await PGlite.create(folder ?? 'memory://', { extensions: { btree_gist } });
        const port = options.basePort === 0 ? 0 : options.basePort + index;
        const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 64 });
        started.push({ db, server });
        await server.start().catch((error: Error) => {
          throw new Error(
            `embedded database ${name} could not listen on 127.0.0.1:${port}: ${error.message}`,
          );
        });
        urls[name] =
          `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable&connection_limit=1`;
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, stop };
}
