import type { EventEnvelope } from './envelope';
import type { RawSql, TransactionalSql } from './outbox';

/**
 * Runs a consumer's side effect at most once per event: the event id is recorded in the `inbox` table
 * in the same transaction as the effect, so a redelivered event (broker retry, replay, relay re-publish)
 * finds its row and does nothing. Returns false when the event had been handled already.
 */
export async function handleOnce<Tx extends RawSql>(
  db: TransactionalSql<Tx>,
  consumer: string,
  event: EventEnvelope,
  effect: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const recorded = await tx.$executeRawUnsafe(
      'INSERT INTO "inbox" ("event_id", "consumer") VALUES ($1::uuid, $2) ON CONFLICT DO NOTHING',
      event.id,
      consumer,
    );
    if (recorded === 0) return false;
    await effect(tx);
    return true;
  });
}
