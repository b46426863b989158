import { inTransaction } from '../database/transaction';
import type { EventEnvelope } from '@clinic/contracts';
import type { RawSql, TransactionalSql } from './outbox';

/**
 * Runs a consumer's side effect at most once per event: the event id is recorded in the `inbox` table
 * in the same transaction as the effect, so a redelivered event (broker retry, replay, relay re-publish)
 * finds its row and does nothing (the table: mechanism-tables.ts). Returns false when the event had been
 * handled already. The transaction is inTransaction's: a deadlock or serialization failure runs it again
 * here at once, rather than through the bus's redelivery (and, after five, the dead letters).
 */
export async function handleOnce<Tx extends RawSql>(
  db: TransactionalSql<Tx>,
  consumer: string,
  event: EventEnvelope,
  effect: (tx: Tx) => Promise<void>,
  /** For effects that may take long (a re-assignment of hundreds of appointments). */
  options?: { timeout?: number },
): Promise<boolean> {
  return inTransaction(
    db,
    async (tx) => {
      const recorded = await tx.$executeRawUnsafe(
        'INSERT INTO "inbox" ("event_id", "consumer") VALUES ($1::uuid, $2) ON CONFLICT DO NOTHING',
        event.id,
        consumer,
      );
      if (recorded === 0) return false;
      await effect(tx);
      return true;
    },
    options,
  );
}

/**
 * The batch form of `handleOnce`: one transaction records every event id and runs the effect for the
 * events not handled before (duplicates within the batch count once). Returns how many were new.
 */
export async function handleOnceBatch<Tx extends RawSql>(
  db: TransactionalSql<Tx>,
  consumer: string,
  events: readonly EventEnvelope[],
  effect: (tx: Tx, fresh: EventEnvelope[]) => Promise<void>,
): Promise<number> {
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  if (unique.length === 0) return 0;
  return inTransaction(db, async (tx) => {
    const recorded = await tx.$queryRawUnsafe<{ event_id: string }[]>(
      `INSERT INTO "inbox" ("event_id", "consumer") SELECT unnest($1::uuid[]), $2
       ON CONFLICT DO NOTHING RETURNING "event_id"::text AS "event_id"`,
      unique.map((event) => event.id),
      consumer,
    );
    const fresh = new Set(recorded.map((row) => row.event_id));
    const toHandle = unique.filter((event) => fresh.has(event.id));
    if (toHandle.length > 0) await effect(tx, toHandle);
    return toHandle.length;
  });
}
