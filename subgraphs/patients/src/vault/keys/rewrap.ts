import type { VaultDatabase } from '../../database';
import type { MasterKey } from './master-key';

export interface RewrapProgress {
  rewrapped: number;
  /** Keys still under another master key when the run started: what this run has to do. */
  total: number;
  /** Keys no configured master key could unwrap; left as they are and counted, never lost. */
  failed: number;
}

export interface RewrapOptions {
  vault: VaultDatabase;
  /** Unwraps the existing keys: a ring holding every old master key still in use. */
  from: MasterKey;
  /** The new master key every data key ends up under. */
  to: MasterKey;
  batchSize?: number;
  /** How many keys are unwrapped and wrapped at once (KMS calls in flight). */
  concurrency?: number;
  onProgress?: (progress: RewrapProgress) => void;
}

/**
 * Re-wraps every live data key under `to`, in batches, each committed on its own: stopping half-way
 * loses nothing, and a second run picks up what is left (rows already under `to` are skipped). The data
 * keys themselves, and so every sealed field, stay exactly as they are; only their wrapping changes.
 * When it reports 0 left, the old master keys are no longer needed. Erased keys stay erased: a row is
 * updated only if it still holds the wrap this run read.
 */
export async function rewrapDataKeys(options: RewrapOptions): Promise<RewrapProgress> {
  const { vault, from, to } = options;
  const batchSize = options.batchSize ?? 500;
  const concurrency = options.concurrency ?? 16;
  const pending = { wrappedKey: { not: null }, masterKeyId: { not: to.keyId } } as const;
  const progress: RewrapProgress = {
    rewrapped: 0,
    total: await vault.dataKey.count({ where: pending }),
    failed: 0,
  };
  options.onProgress?.({ ...progress });
  let after: string | undefined;
  for (;;) {
    // Keyset order by clientId, so rows that fail to unwrap are passed over rather than retried forever.
    const rows = await vault.dataKey.findMany({
      where: { ...pending, ...(after ? { clientId: { gt: after } } : {}) },
      orderBy: { clientId: 'asc' },
      take: batchSize,
      select: { clientId: true, wrappedKey: true, masterKeyId: true },
    });
    if (rows.length === 0) break;
    after = rows.at(-1)?.clientId;
    const moved: { clientId: string; oldKeyId: string; oldWrap: Uint8Array<ArrayBuffer>; wrapped: Buffer }[] =
      [];
    for (let offset = 0; offset < rows.length; offset += concurrency) {
      await Promise.all(
        rows.slice(offset, offset + concurrency).map(async (row) => {
          if (!row.wrappedKey) return;
          try {
            const dataKey = await from.unwrap(
              { keyId: row.masterKeyId, wrapped: Buffer.from(row.wrappedKey) },
              row.clientId,
            );
            const wrapped = await to.wrap(dataKey, row.clientId);
            dataKey.fill(0);
            moved.push({
              clientId: row.clientId,
              oldKeyId: row.masterKeyId,
              oldWrap: row.wrappedKey,
              wrapped: wrapped.wrapped,
            });
          } catch {
            progress.failed++;
          }
        }),
      );
    }
    const now = new Date();
    const updated = await vault.$transaction(
      moved.map((row) =>
        vault.dataKey.updateMany({
          where: {
            clientId: row.clientId,
            masterKeyId: row.oldKeyId,
            wrappedKey: row.oldWrap,
            destroyedAt: null,
          },
          data: { wrappedKey: new Uint8Array(row.wrapped), masterKeyId: to.keyId, rewrappedAt: now },
        }),
      ),
    );
    progress.rewrapped += updated.reduce((sum, result) => sum + result.count, 0);
    options.onProgress?.({ ...progress });
  }
  return progress;
}
