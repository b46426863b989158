import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { startEmbeddedPostgres } from '@clinic/platform';
import {
  checkpointFileIn,
  connectAuditDatabase,
  FileCheckpointSink,
  type AuditDatabase,
} from '@clinic/audit-subgraph';

const DEFAULT_EMBEDDED_PORT = 55432;

export interface CliTarget {
  db: AuditDatabase;
  sink: FileCheckpointSink;
  where: string;
  close(): Promise<void>;
}

/**
 * The audit database the CLIs work on: DATABASE_URL_AUDIT when set; otherwise the embedded one of a
 * running `npm start` (EMBEDDED_DB_PORT, as it numbers them); otherwise the embedded data folder opened
 * directly (only while nothing else has it open). Checkpoints: AUDIT_CHECKPOINT_FILE, or the data folder's.
 */
export async function openCliTarget(env: NodeJS.ProcessEnv = process.env): Promise<CliTarget> {
  const dataDir = path.resolve(env['DATA_DIR'] ?? '.data');
  const sink = new FileCheckpointSink(
    path.resolve(env['AUDIT_CHECKPOINT_FILE'] ?? checkpointFileIn(dataDir)),
  );
  const configured = env[databaseUrlVariable('audit')];
  if (configured) return target(configured, sink, 'DATABASE_URL_AUDIT', async () => undefined);
  const port = Number(env['EMBEDDED_DB_PORT'] ?? DEFAULT_EMBEDDED_PORT) + DATABASE_NAMES.indexOf('audit');
  if (await listening(port)) {
    const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable&connection_limit=1`;
    return target(url, sink, `the running embedded database on port ${port}`, async () => undefined);
  }
  if (!existsSync(path.join(dataDir, 'pglite', 'audit'))) {
    throw new Error(
      `no embedded audit database in ${dataDir} and none running: set DATABASE_URL_AUDIT, DATA_DIR or EMBEDDED_DB_PORT`,
    );
  }
  const embedded = await startEmbeddedPostgres({ dataDir, basePort: 0, databases: ['audit'] });
  return target(embedded.urls.audit, sink, `the embedded database in ${dataDir}`, embedded.stop);
}

function target(url: string, sink: FileCheckpointSink, where: string, stop: () => Promise<void>): CliTarget {
  const db = connectAuditDatabase(url);
  return { db, sink, where, close: async () => (await db.$disconnect(), await stop()) };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean) => (socket.destroy(), resolve(open));
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}
