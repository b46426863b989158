import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@clinic/platform';
import type { AuditDatabase } from '../database';

/** The chain head at a moment, kept where whoever can rewrite the audit table cannot. */
export interface Checkpoint {
  /** Decimal, as bigint does not survive JSON. */
  sequence: string;
  hash: string;
  /** When it was exported, ISO 8601. */
  at: string;
}

/**
 * Where checkpoints go. Production wants write-once storage in another account (e.g. an S3 bucket with
 * Object Lock); a file is the sink here. Verification reads them back to detect a cut tail or a
 * rewritten chain.
 */
export interface CheckpointSink {
  append(checkpoint: Checkpoint): Promise<void>;
  readAll(): Promise<Checkpoint[]>;
}

/** The checkpoint file of an embedded system's data folder, as `npm start` and the CLIs use it. */
export function checkpointFileIn(dataDir: string): string {
  return path.join(dataDir, 'audit-checkpoints.jsonl');
}

/** Service options exporting checkpoints to a data folder's file every `intervalMs`. */
export function checkpointsInDataDir(
  dataDir: string,
  intervalMs?: number,
): { sink: CheckpointSink; intervalMs?: number } {
  return { sink: new FileCheckpointSink(checkpointFileIn(dataDir)), intervalMs };
}

/** One JSON object per line, appended; the file is never rewritten. */
export class FileCheckpointSink implements CheckpointSink {
  constructor(readonly file: string) {}

  async append(checkpoint: Checkpoint): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(checkpoint)}\n`, { flag: 'a' });
  }

  async readAll(): Promise<Checkpoint[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => parseCheckpoint(line, `${this.file}:${index + 1}`));
  }
}

function parseCheckpoint(line: string, where: string): Checkpoint {
  const value: unknown = JSON.parse(line);
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { sequence, hash, at } = record;
  if (
    typeof sequence !== 'string' ||
    !/^\d+$/.test(sequence) ||
    typeof hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(hash) ||
    typeof at !== 'string'
  ) {
    throw new Error(`malformed checkpoint at ${where}`);
  }
  return { sequence, hash, at };
}

/** The chain's head now, or null while the log is empty. */
export async function chainHead(db: AuditDatabase): Promise<{ sequence: bigint; hash: string } | null> {
  return db.auditEntry.findFirst({ orderBy: { sequence: 'desc' }, select: { sequence: true, hash: true } });
}

/** Exports the current head to the sink; returns it, or null when the log is empty. */
export async function exportCheckpoint(
  db: AuditDatabase,
  sink: CheckpointSink,
  now: () => Date = () => new Date(),
): Promise<Checkpoint | null> {
  const head = await chainHead(db);
  if (!head) return null;
  const checkpoint = { sequence: head.sequence.toString(), hash: head.hash, at: now().toISOString() };
  await sink.append(checkpoint);
  return checkpoint;
}

/** Exports a checkpoint every `intervalMs` while the head moves (an idle log adds no lines). */
export function startCheckpointing(
  db: AuditDatabase,
  sink: CheckpointSink,
  intervalMs: number,
  logger: Logger,
): { stop(): Promise<void> } {
  let lastHash: string | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      const head = await chainHead(db);
      if (!head || head.hash === lastHash) return;
      await sink.append({
        sequence: head.sequence.toString(),
        hash: head.hash,
        at: new Date().toISOString(),
      });
      lastHash = head.hash;
    } catch (error) {
      logger.warn({ err: error }, 'audit checkpoint export failed; retrying next interval');
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
