import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/** The fields an entry's hash covers: everything in the row except the chain columns themselves. */
export interface ChainedFields {
  id: string;
  sequence: bigint;
  eventId: string;
  occurredAt: Date;
  recordedAt: Date;
  action: string;
  actorRole: string;
  actorSubject: string;
  subjectType: string;
  subjectId: string;
  clientId: string | null;
  clinicId: string | null;
  correlationId: string;
}

/** The first entry's prev_hash. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The entry as RFC 8785 (JCS) canonical JSON: keys sorted, no whitespace, every value a string or null,
 * in the form PostgreSQL stores it (lowercase uuids, sequence in decimal, instants as ISO 8601 UTC with
 * milliseconds, the column's precision). Reading a row back therefore reproduces the same text. The
 * backfill in prisma/audit/migrations/20261125100000_hash_chain builds the same string in SQL.
 */
export function canonicalEntry(entry: ChainedFields): string {
  return canonicalize({
    id: entry.id.toLowerCase(),
    sequence: entry.sequence.toString(),
    eventId: entry.eventId.toLowerCase(),
    occurredAt: entry.occurredAt.toISOString(),
    recordedAt: entry.recordedAt.toISOString(),
    action: entry.action,
    actorRole: entry.actorRole,
    actorSubject: entry.actorSubject,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    clientId: entry.clientId?.toLowerCase() ?? null,
    clinicId: entry.clinicId?.toLowerCase() ?? null,
    correlationId: entry.correlationId,
  });
}

/** sha256(prevHash || canonical entry) in lowercase hex: the link that makes any change visible. */
export function chainHash(prevHash: string, entry: ChainedFields): string {
  return createHash('sha256')
    .update(prevHash + canonicalEntry(entry), 'utf8')
    .digest('hex');
}
