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
  // One array-valued INSERT: Prisma's createMany spent most of the consumer's time building parameters
  // (docs/journal/event-delivery.md measured it at a quarter of this statement's speed).
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  await tx.$executeRawUnsafe(
    `INSERT INTO "audit_entry" ("id", "sequence", "event_id", "occurred_at", "recorded_at", "action",
       "actor_role", "actor_subject", "subject_type", "subject_id", "client_id", "clinic_id",
       "correlation_id", "prev_hash", "hash")
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::timestamptz[], $5::timestamptz[],
       $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[], $12::uuid[], $13::text[],
       $14::text[], $15::text[])`,
    column((row) => row.id),
    column((row) => row.sequence.toString()),
    column((row) => row.eventId),
    column((row) => row.occurredAt),
    column((row) => row.recordedAt),
    column((row) => row.action),
    column((row) => row.actorRole),
    column((row) => row.actorSubject),
    column((row) => row.subjectType),
    column((row) => row.subjectId),
    column((row) => row.clientId),
    column((row) => row.clinicId),
    column((row) => row.correlationId),
    column((row) => row.prevHash),
    column((row) => row.hash),
  );
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
