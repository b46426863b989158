import type { EventEnvelope } from '@clinic/contracts';
import { enqueueEvents, handleOnce } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import { lockSlots } from '../booking/claim-slot';
import type { PracticeGroups } from './practice-groups';
import { countReassignments } from './count-reassignments';
import { flaggedFitting, settleDisplaced } from './settle-displaced';

export const FREED_TIMES_CONSUMER = 'appointments-freed-times';

/**
 * Retries flagged appointments whenever a time becomes free however it did: a cancellation, a reschedule,
 * a lapsed hold (all `slot.changed` to free on this service's own topic) as well as availability the
 * doctors service publishes (applied with the event, in apply-availability). Exactly once per event;
 * the slot is locked first, as everywhere. Returns how many appointments moved, or null for a repeat.
 */
export async function retryFlaggedOnFreedSlot(
  db: AppointmentsDatabase,
  event: EventEnvelope<'slot.changed'>,
  groups: PracticeGroups,
): Promise<number | null> {
  if (event.payload.status !== 'free') return 0;
  // Nearly every freed time has nobody waiting for it: answered by an index, with no transaction.
  const waitingAtAll = await db.appointment.findFirst({
    where: { needsAttentionSince: { not: null }, status: 'booked', start: new Date(event.payload.start) },
    select: { id: true },
  });
  if (!waitingAtAll) return 0;
  let moved: number | null = null;
  let events: EventEnvelope[] = [];
  await handleOnce(db, FREED_TIMES_CONSUMER, event, async (tx) => {
    events = []; // a retried transaction counts only what finally commits
    await lockSlots(tx, [event.payload.slotId]);
    const slot = await tx.slot.findUnique({ where: { id: event.payload.slotId } });
    if (slot?.status !== 'free') return void (moved = 0);
    const waiting = await flaggedFitting(tx, [slot], groups);
    // A telehealth appointment can take only such a time, an in-person one any: telehealth goes first.
    const first = waiting.find((appointment) => appointment.telehealth) ?? waiting[0];
    if (!first) return void (moved = 0);
    const settled = await settleDisplaced(tx, [first], event.id, groups);
    await enqueueEvents(tx, 'appointments', settled.events);
    moved = settled.reassigned;
    events = settled.events;
  });
  countReassignments(events);
  return moved;
}
