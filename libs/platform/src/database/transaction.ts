import type { RawSql, TransactionalSql } from '../events/outbox';

/** PostgreSQL's answers that mean "nothing was done, run it again": serialization failure, deadlock. */
const RETRYABLE_SQLSTATES = ['40001', '40P01'];

/**
 * True when PostgreSQL aborted the transaction only because it raced another one. Prisma reports these
 * as P2034; through the pg driver adapter the SQLSTATE may also arrive in the error's cause or text.
 */
export function isRetryableTransactionFailure(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, cause, message } = current as { code?: unknown; cause?: unknown; message?: unknown };
    if (code === 'P2034' || (typeof code === 'string' && RETRYABLE_SQLSTATES.includes(code))) return true;
    if (typeof message === 'string' && /deadlock detected|could not serialize access/.test(message)) {
      return true;
    }
    current = cause ?? (current as { meta?: { driverAdapterError?: unknown } }).meta?.driverAdapterError;
  }
  return false;
}

export interface TransactionOptions {
  /** Runs in all, including the first; a deadlock or serialization failure past the last is thrown. */
  attempts?: number;
  timeout?: number;
  maxWait?: number;
}

const DEFAULT_ATTEMPTS = 4;
/**
 * Prisma's defaults (2 s to get a connection, 5 s to finish) turn a burst of requests for one slot into
 * internal errors while they queue for the pool and the slot's row lock; a client waits longer than this
 * for its answer anyway.
 */
const DEFAULT_MAX_WAIT_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The one transaction boundary of the services' writes: runs `work` in a transaction and runs it again
 * (a bounded number of times, after a short random pause) when PostgreSQL aborted it for a deadlock or a
 * serialization failure. Such an abort undid everything, so running the whole of `work` again is safe; a
 * caller sees a typed outcome instead of an internal error.
 */
export async function inTransaction<Tx extends RawSql, R>(
  db: TransactionalSql<Tx>,
  work: (tx: Tx) => Promise<R>,
  options: TransactionOptions = {},
): Promise<R> {
  const {
    attempts = DEFAULT_ATTEMPTS,
    maxWait = DEFAULT_MAX_WAIT_MS,
    timeout = DEFAULT_TIMEOUT_MS,
  } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, { maxWait, timeout });
    } catch (error) {
      if (attempt >= attempts || !isRetryableTransactionFailure(error)) throw error;
      // Jitter so the two sides of a deadlock do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
