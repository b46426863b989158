import { createHash } from 'node:crypto';
import { inTransaction, type TransactionOptions } from '../database/transaction';
import type { RawSql, TransactionalSql } from '../events/outbox';
import { type Identity, checkIdempotencyKey, invalid, type InvalidInput } from '@clinic/contracts';

/** One mutation call as far as its idempotency key is concerned. */
export interface IdempotentCall {
  /** Who calls: a key belongs to its caller, so another caller's use of the same key is unrelated. */
  caller: Identity;
  key: string;
  /** The mutation's name; the same key for another mutation is a different request. */
  operation: string;
  /** The request's meaningful input, normalised; a repeat with other input under the key is refused. */
  input: unknown;
}

/** A typed outcome: what a mutation answers, a success or a member like `SlotUnavailable`. */
export interface Outcome {
  __typename: string;
}

export interface IdempotentOptions<Tx, O extends Outcome> extends TransactionOptions {
  /**
   * Turns an error the work threw into the outcome it means (a unique or exclusion constraint that
   * refused a double booking, say); the work's writes are undone and that outcome is recorded. Any
   * other error undoes the whole call, key included, so a retry runs it afresh.
   */
  outcomeOfError?: (error: unknown, tx: Tx) => O | null;
  /**
   * How the request is fingerprinted (default SHA-256). A request carrying personal details (a patient's
   * registration) is fingerprinted with a keyed HMAC instead, so its record cannot be matched against
   * guessed details.
   */
  digest?: (canonicalRequest: string) => string;
}

/** Marks an outcome answered from the record (a repeat of a key), not by running the work now. */
const REPLAYED = Symbol('replayed');

/** Whether this outcome repeats a recorded one: counted once, when it happened (clinic_bookings_total). */
export function isReplayed(outcome: object): boolean {
  return REPLAYED in outcome;
}

export const KEY_REUSED_MESSAGE = 'This idempotency key was already used for a different request.';

/**
 * Runs a mutation once per (caller, key), the way payment APIs do: in one transaction it first claims
 * the key (an insert into `idempotency_record`), then does the work and records the outcome beside the
 * change. So
 * - a concurrent duplicate waits on the claim (the row's unique index) and then answers the recorded
 *   outcome: a double tap gets the same answer twice;
 * - a later repeat answers the recorded outcome, whatever has changed since;
 * - the same key with a different request (another operation or input) gets `InvalidInput` naming the key;
 * - another caller's key is an unused key for this caller and reveals nothing.
 * Every typed outcome is recorded, refusals included; a malformed key is refused before anything runs.
 */
export async function runIdempotent<Tx extends RawSql, O extends Outcome>(
  db: TransactionalSql<Tx>,
  call: IdempotentCall,
  work: (tx: Tx) => Promise<O>,
  options: IdempotentOptions<Tx, O> = {},
): Promise<O | InvalidInput> {
  const badKey = checkIdempotencyKey(call.key);
  if (badKey) return badKey;
  const { outcomeOfError, digest = sha256, ...transactionOptions } = options;
  const caller = callerOf(call.caller);
  const requestHash = digest(canonicalJson([call.operation, call.input]));
  return inTransaction(
    db,
    async (tx) => {
      const claimed = await tx.$executeRawUnsafe(
        `INSERT INTO "idempotency_record" ("caller", "key", "request_hash")
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        caller,
        call.key,
        requestHash,
      );
      if (claimed === 0) return recorded<O>(tx, caller, call.key, requestHash);
      const outcome = outcomeOfError ? await guarded(tx, work, outcomeOfError) : await work(tx);
      await tx.$executeRawUnsafe(
        `UPDATE "idempotency_record" SET "outcome" = $3::jsonb WHERE "caller" = $1 AND "key" = $2`,
        caller,
        call.key,
        encodeOutcome(outcome),
      );
      return outcome;
    },
    transactionOptions,
  );
}

/** The work inside a savepoint, so an error that means a typed outcome leaves the claim in place. */
async function guarded<Tx extends RawSql, O extends Outcome>(
  tx: Tx,
  work: (tx: Tx) => Promise<O>,
  outcomeOfError: (error: unknown, tx: Tx) => O | null,
): Promise<O> {
  await tx.$executeRawUnsafe('SAVEPOINT "idempotent_work"');
  try {
    const outcome = await work(tx);
    await tx.$executeRawUnsafe('RELEASE SAVEPOINT "idempotent_work"');
    return outcome;
  } catch (error) {
    const outcome = outcomeOfError(error, tx);
    if (!outcome) throw error;
    await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT "idempotent_work"');
    return outcome;
  }
}

async function recorded<O extends Outcome>(
  tx: RawSql,
  caller: string,
  key: string,
  requestHash: string,
): Promise<O | InvalidInput> {
  const [row] = await tx.$queryRawUnsafe<{ request_hash: string; outcome: string | null }[]>(
    `SELECT "request_hash", "outcome"::text AS "outcome" FROM "idempotency_record"
     WHERE "caller" = $1 AND "key" = $2`,
    caller,
    key,
  );
  // The claim was committed by the request that made it, with its outcome, so both are there.
  if (!row || row.request_hash !== requestHash || row.outcome === null) {
    return invalid('idempotencyKey', KEY_REUSED_MESSAGE);
  }
  // Not enumerable: the outcome answers and serialises as it did the first time.
  return Object.defineProperty(decodeOutcome<O>(row.outcome), REPLAYED, { value: true });
}

function callerOf(identity: Identity): string {
  return [identity.role, identity.clinicId ?? '', identity.subject].join(':');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so equal inputs hash alike whatever order their fields came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, current: unknown) =>
    current && typeof current === 'object' && !Array.isArray(current)
      ? Object.fromEntries(Object.entries(current).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : current,
  );
}

/** Outcomes hold rows with dates; they are kept tagged so a replay answers the same values and types. */
export function encodeOutcome(outcome: Outcome): string {
  return JSON.stringify(outcome, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    return original instanceof Date ? { $date: original.toISOString() } : value;
  });
}

export function decodeOutcome<O extends Outcome>(text: string): O {
  return JSON.parse(text, (_key, value: unknown) => {
    const date = (value as { $date?: unknown } | null)?.$date;
    return typeof date === 'string' && Object.keys(value as object).length === 1 ? new Date(date) : value;
  }) as O;
}
