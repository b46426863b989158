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
        releaseParsedMessagesAfterEachMessage(db);
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

/** A Terminate message: PGlite ignores it without running anything (its own close() sends one). */
const TERMINATE = Uint8Array.of(0x58, 0, 0, 0, 4);

/**
 * Works around a leak in PGlite 0.4.x (fixed upstream in 0.5.3, which needs PostgreSQL 18 data folders):
 * on the raw path pglite-socket uses, `execProtocolRawStream`, PGlite parses every message the server
 * sends back into JS objects and pushes them onto a private list that only `execProtocol` empties, and
 * nothing on that path calls it. Every row ever served stayed on the heap (about 10 KB a query for 50
 * short rows, 20-60 KB a request through the gateway), so a long-running `npm start` grew and slowed
 * down. A Terminate through `execProtocol` empties the list and runs nothing; it runs while
 * pglite-socket still holds PGlite's query lock, so no other connection's message runs in between.
 */
function releaseParsedMessagesAfterEachMessage(db: PGlite): void {
  const execProtocolRawStream = db.execProtocolRawStream.bind(db);
  db.execProtocolRawStream = async (message, options) => {
    try {
      await execProtocolRawStream(message, options);
    } finally {
      await db.execProtocol(TERMINATE, { syncToFs: false, throwOnError: false });
    }
  };
}
