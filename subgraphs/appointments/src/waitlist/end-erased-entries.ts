import type { EventEnvelope } from '@clinic/contracts';
import { enqueueEvents, handleOnceBatch } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import { SYSTEM_ACTOR } from '../booking/events';
import { releaseOffersOf } from './release-offers';

export const WAITLIST_ERASURES_CONSUMER = 'appointments-waitlist-erasures';

/**
 * An erased patient waits for nothing: their active entries end (`left`) and their live offers with them,
 * a sequential hold released so the time passes on at once, rather than the line offering times (and
 * holding them) for a patient who can no longer be told. Exactly once per event, through the inbox.
 * Returns how many entries ended.
 */
export async function endErasedEntries(
  db: AppointmentsDatabase,
  events: readonly EventEnvelope[],
): Promise<number> {
  const erased = events.filter((event) => event.type === 'patient.erased');
  if (erased.length === 0) return 0;
  const clientIds = erased.map((event) => (event as EventEnvelope<'patient.erased'>).payload.clientId);
  // Nearly every erased patient was on no waitlist: answered by an index, no transaction, nothing recorded.
  if (!(await db.waitlistEntry.findFirst({ where: { clientId: { in: clientIds }, status: 'active' } })))
    return 0;
  let ended = 0;
  await handleOnceBatch(db, WAITLIST_ERASURES_CONSUMER, erased, async (tx, fresh) => {
    const ids = fresh.map((event) => (event as EventEnvelope<'patient.erased'>).payload.clientId);
    const entries = await tx.waitlistEntry.findMany({
      where: { clientId: { in: ids }, status: 'active' },
      select: { id: true },
    });
    const freed = await releaseOffersOf(
      tx,
      entries.map((entry) => entry.id),
      SYSTEM_ACTOR,
    );
    ended = (
      await tx.waitlistEntry.updateMany({
        where: { id: { in: entries.map((entry) => entry.id) }, status: 'active' },
        data: { status: 'left' },
      })
    ).count;
    await enqueueEvents(tx, 'appointments', freed);
  });
  return ended;
}
