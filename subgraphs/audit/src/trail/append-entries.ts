import type { Prisma } from '../generated/prisma/client';
import { chainHash, GENESIS_HASH, type ChainedFields } from './canonical-entry';

/** An entry before it has a place in the chain. */
export type NewAuditEntry = Omit<ChainedFields, 'sequence'>;

/**
 * Key of the transaction-scoped advisory lock that serialises appends ('audit_ch' in ASCII), so
 * consumers of different topics or partitions, in one process or many, never fork the chain.
 */
export const CHAIN_LOCK_KEY = 0x61756469745f6368n;

/**
 * Appends entries at the head of the hash chain inside the caller's transaction: one lock and one head
 * read per call, however many entries, then one multi-row insert. Sequences are head + 1, head + 2, …:
 * gapless, so a missing number means a deleted row. The lock is held until the transaction ends.
 */
export async function appendEntries(
  tx: Prisma.TransactionClient,
  entries: readonly NewAuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1::bigint)', CHAIN_LOCK_KEY.toString());
  const head = await tx.auditEntry.findFirst({
    orderBy: { sequence: 'desc' },
    select: { sequence: true, hash: true },
  });
  let sequence = head?.sequence ?? 0n;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows = entries.map((entry) => {
    sequence += 1n;
    const fields = normalised({ ...entry, sequence });
    const hash = chainHash(prevHash, fields);
    const row = { ...fields, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await tx.auditEntry.createMany({ data: rows });
}

/** Stored exactly as hashed: PostgreSQL keeps uuids in lowercase and instants to the millisecond. */
function normalised(entry: ChainedFields): ChainedFields {
  return {
    ...entry,
    id: entry.id.toLowerCase(),
    eventId: entry.eventId.toLowerCase(),
    clientId: entry.clientId?.toLowerCase() ?? null,
    clinicId: entry.clinicId?.toLowerCase() ?? null,
  };
}
