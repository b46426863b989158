import type { EventEnvelope } from '@clinic/contracts';
import { enqueueEvents, handleOnce, type Logger } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import type { Prisma, Slot } from '../generated/prisma/client';
import { appointmentEvent, SYSTEM_ACTOR, slotChangedEvent } from '../booking/events';
import { countReassignments } from './count-reassignments';
import type { PracticeGroups } from './practice-groups';
import { flaggedFitting, settleDisplaced, settleDisplacedChunk } from './settle-displaced';

export const AVAILABILITY_CONSUMER = 'appointments-availability';

type Tx = Prisma.TransactionClient;
type AvailabilityChanged = EventEnvelope<'doctor.availability-changed'>;

export interface AvailabilitySummary {
  created: number;
  withdrawn: number;
  restored: number;
  reassigned: number;
  needingAttention: number;
  /** Bookings on withdrawn times, moved or flagged right after in chunks (counted in the two above). */
  displaced: number;
}

/**
 * Reconciles one doctor's slots with the availability the doctors service published, exactly once per
 * event, in one transaction: new times become free slots; times that disappeared become
 * busy-unavailable, their holds are released and their future bookings re-assigned to other doctors;
 * times that came back are offered again. Whenever a time becomes free, appointments waiting for a
 * doctor at that time are retried. Returns null when the event had been handled already.
 */
export async function applyAvailability(
  db: AppointmentsDatabase,
  event: AvailabilityChanged,
  logger: Logger,
  groups: PracticeGroups,
  /** Called after each chunk of displaced bookings commits (the relay's poke). */
  onSettled?: () => void,
): Promise<AvailabilitySummary | null> {
  const result: { summary: AvailabilitySummary | null; events: EventEnvelope[] } = {
    summary: null,
    events: [],
  };
  await handleOnce(
    db,
    AVAILABILITY_CONSUMER,
    event,
    async (tx) => {
      // A fresh list each attempt: a transaction that is retried counts only what finally commits.
      const events: EventEnvelope[] = [];
      result.summary = await reconcile(tx, event, groups, events);
      result.events = events;
    },
    { timeout: 120_000 },
  );
  countReassignments(result.events);
  const { summary } = result;
  // The displaced bookings, a short transaction per chunk; what a crash leaves, the sweep settles.
  while (summary && summary.displaced > 0) {
    const chunk = await settleDisplacedChunk(db, groups);
    if (chunk.picked === 0) break;
    summary.reassigned += chunk.reassigned;
    summary.needingAttention += chunk.needingAttention;
    onSettled?.();
  }
  if (summary)
    logger.info({ eventId: event.id, doctorId: event.payload.doctorId, ...summary }, 'availability applied');
  return summary;
}

async function reconcile(
  tx: Tx,
  event: AvailabilityChanged,
  groups: PracticeGroups,
  /** Gets the events written, for the caller to count once they commit. */
  events: EventEnvelope[],
): Promise<AvailabilitySummary> {
  const { doctorId, clinicId, windowStart, windowEnd, slots } = event.payload;
  // Events published before telehealth existed carry no flag; nobody offered it then.
  const telehealth = event.payload.telehealth ?? false;
  const now = new Date();
  const from = new Date(Math.max(new Date(windowStart).getTime(), now.getTime()));
  const to = new Date(windowEnd);
  const wanted = new Map(
    slots
      .map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) }))
      .filter((slot) => slot.start >= from && slot.start < to)
      .map((slot) => [slot.start.getTime(), slot]),
  );
  // The doctor's slots in the window, and their future ones whose telehealth flag this event changes,
  // before any appointment, in id order: the database's one lock order (prisma/appointments/schema.prisma),
  // which cancels and moves follow too.
  await tx.$queryRawUnsafe(
    `SELECT id FROM slot
      WHERE doctor_id = $1::uuid AND ((start >= $2 AND start < $3) OR (start > $5 AND telehealth <> $4))
      ORDER BY id FOR UPDATE`,
    doctorId,
    from,
    to,
    telehealth,
    now,
  );
  // The flag is the doctor's, not the window's: all their future slots follow it. Their free ones that now
  // offer telehealth may take a flagged telehealth appointment, like a new time.
  const reflagged = await tx.slot.updateManyAndReturn({
    where: { doctorId, start: { gt: now }, telehealth: !telehealth },
    data: { telehealth },
  });
  const existing = await tx.slot.findMany({ where: { doctorId, start: { gte: from, lt: to } } });
  const existingStarts = new Set(existing.map((slot) => slot.start.getTime()));
  const changed = (slot: Slot) => events.push(slotChangedEvent(slot, SYSTEM_ACTOR, event.id));

  const created = await tx.slot.createManyAndReturn({
    data: [...wanted.values()]
      .filter((slot) => !existingStarts.has(slot.start.getTime()))
      .map((slot) => ({
        id: crypto.randomUUID(),
        doctorId,
        clinicId,
        start: slot.start,
        end: slot.end,
        telehealth,
      })),
    skipDuplicates: true,
  });
  created.forEach(changed);

  const gone = existing.filter(
    (slot) => !wanted.has(slot.start.getTime()) && slot.status !== 'busy_unavailable',
  );
  const back = existing.filter(
    (slot) => wanted.has(slot.start.getTime()) && slot.status === 'busy_unavailable',
  );

  const withdrawn = gone.length
    ? await tx.slot.updateManyAndReturn({
        where: { id: { in: gone.map((slot) => slot.id) } },
        data: { status: 'busy_unavailable' },
      })
    : [];
  withdrawn.forEach(changed);
  const goneIds = gone.map((slot) => slot.id);
  // Holds on withdrawn times lapse at once; the patient simply picks another time.
  if (goneIds.length) {
    await tx.appointment.updateMany({
      where: { slotId: { in: goneIds }, status: 'pending' },
      data: { status: 'cancelled', holdExpiresAt: null },
    });
  }
  // Bookings on withdrawn times are marked here and moved or flagged after this transaction, a chunk at
  // a time (settleDisplacedChunk): a patient cancelling one of them waits for one chunk, not the leave.
  const displaced = goneIds.length
    ? await tx.appointment.updateMany({
        where: { slotId: { in: goneIds }, status: 'booked' },
        data: { displacedSince: now, displacedBy: event.id },
      })
    : { count: 0 };

  // A time that comes back: its waiting appointment (if any) is simply back with its doctor.
  const backIds = back.map((slot) => slot.id);
  const waiting = backIds.length
    ? await tx.appointment.findMany({ where: { slotId: { in: backIds }, status: 'booked' } })
    : [];
  if (waiting.length > 0) {
    await tx.appointment.updateMany({
      where: { id: { in: waiting.map((appointment) => appointment.id) } },
      data: { needsAttentionSince: null, displacedSince: null, displacedBy: null },
    });
  }
  // Those that were flagged, and their patients told so, are back with their doctor: they hear it. (One
  // still marked displaced was never announced, so there is nothing to take back.)
  waiting
    .filter((appointment) => appointment.needsAttentionSince)
    .forEach((appointment) =>
      events.push(
        appointmentEvent(
          'appointment.returned',
          { ...appointment, needsAttentionSince: null },
          SYSTEM_ACTOR,
          event.id,
        ),
      ),
    );
  const taken = new Set(waiting.map((appointment) => appointment.slotId));
  const reopen = async (ids: string[], status: 'busy' | 'free') =>
    ids.length
      ? tx.slot.updateManyAndReturn({
          where: { id: { in: ids }, status: 'busy_unavailable' },
          data: { status },
        })
      : [];
  const rebooked = await reopen(
    backIds.filter((id) => taken.has(id)),
    'busy',
  );
  const reopened = await reopen(
    backIds.filter((id) => !taken.has(id)),
    'free',
  );
  const restored = [...rebooked, ...reopened];
  restored.forEach(changed);
  const newlyTelehealth = telehealth
    ? reflagged.filter((slot) => slot.status === 'free' && !goneIds.includes(slot.id))
    : [];
  const freed: Slot[] = [...created, ...reopened, ...newlyTelehealth];

  const settled = await settleDisplaced(tx, await flaggedFitting(tx, freed, groups), event.id, groups);
  events.push(...settled.events);

  await enqueueEvents(tx, 'appointments', events);
  return {
    created: created.length,
    withdrawn: withdrawn.length,
    restored: restored.length,
    displaced: displaced.count,
    reassigned: settled.reassigned,
    needingAttention: settled.needingAttention,
  };
}
