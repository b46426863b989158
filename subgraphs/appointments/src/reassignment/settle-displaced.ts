import type { EventEnvelope } from '@clinic/contracts';
import { enqueueEvents, inTransaction } from '@clinic/platform';
import { lockSlots } from '../booking/claim-slot';
import type { AppointmentsDatabase } from '../database';
import type { Appointment, Prisma, Slot } from '../generated/prisma/client';
import { appointmentEvent, SYSTEM_ACTOR } from '../booking/events';
import { countReassignments } from './count-reassignments';
import { mayTake } from './may-take';
import type { PracticeGroups } from './practice-groups';
import { reassignAppointment } from './reassign-appointment';
import { reassignInBulk } from './reassign-in-bulk';

type Tx = Prisma.TransactionClient;

export interface Settled {
  events: EventEnvelope[];
  reassigned: number;
  needingAttention: number;
}

/** How many displaced appointments one transaction settles: a patient's cancel waits for one chunk at most. */
export const DISPLACED_CHUNK = 50;

/**
 * Settles up to `limit` displaced appointments (marked by applyAvailability) in one short transaction:
 * their slots locked first, in id order, then each moved or flagged as settleDisplaced does, its mark
 * cleared and its events written. Runs right after a leave is applied, and as a sweep for any a crash
 * left behind; two runs at once wait on the slots and the second finds nothing left.
 */
export async function settleDisplacedChunk(
  db: AppointmentsDatabase,
  groups: PracticeGroups,
  limit = DISPLACED_CHUNK,
): Promise<Settled & { picked: number }> {
  const settled = await inTransaction(db, async (tx) => {
    const marked = await tx.appointment.findMany({
      where: { displacedSince: { not: null } },
      orderBy: { id: 'asc' },
      take: limit,
      select: { slotId: true },
    });
    const none = { picked: 0, events: [], reassigned: 0, needingAttention: 0 };
    if (marked.length === 0) return none;
    await lockSlots(
      tx,
      marked.map((appointment) => appointment.slotId),
    );
    // Read again under the locks: a patient may have cancelled or moved one meanwhile.
    const picked = await tx.appointment.findMany({
      where: {
        displacedSince: { not: null },
        slotId: { in: marked.map((appointment) => appointment.slotId) },
      },
      orderBy: [{ start: 'asc' }, { id: 'asc' }],
    });
    if (picked.length === 0) return none;
    await tx.appointment.updateMany({
      where: { id: { in: picked.map((appointment) => appointment.id) } },
      data: { displacedSince: null, displacedBy: null },
    });
    const settled: Settled & { picked: number } = { ...none, picked: picked.length, events: [] };
    // Still displaced: booked, on a slot its doctor no longer offers (a patient may have moved it since).
    const withdrawn = new Set(
      (
        await tx.slot.findMany({
          where: { id: { in: picked.map((appointment) => appointment.slotId) }, status: 'busy_unavailable' },
          select: { id: true },
        })
      ).map((slot) => slot.id),
    );
    const booked = picked.filter(
      (appointment) => appointment.status === 'booked' && withdrawn.has(appointment.slotId),
    );
    for (const causationId of new Set(booked.map((appointment) => appointment.displacedBy ?? ''))) {
      const some = await settleDisplaced(
        tx,
        booked.filter((appointment) => (appointment.displacedBy ?? '') === causationId),
        causationId,
        groups,
      );
      settled.events.push(...some.events);
      settled.reassigned += some.reassigned;
      settled.needingAttention += some.needingAttention;
    }
    await enqueueEvents(tx, 'appointments', settled.events);
    return settled;
  });
  countReassignments(settled.events);
  return settled;
}

/**
 * Finds each appointment a new doctor at exactly its time within its practice group (one who offers
 * telehealth for a telehealth appointment; `mayTake`): in bulk where a
 * partner is plain, one by one for the rest; whoever is left is flagged (announced once) and retried
 * when a fitting time becomes free. Inside the caller's transaction, which holds the slots' locks.
 */
export async function settleDisplaced(
  tx: Tx,
  appointments: Appointment[],
  causationId: string,
  groups: PracticeGroups,
): Promise<Settled> {
  const bulk = await reassignInBulk(tx, appointments, causationId, groups);
  const settled: Settled = { events: [...bulk.events], reassigned: bulk.moved.length, needingAttention: 0 };
  // Those with no free doctor at their time in their group at all are flagged in one statement, so a long
  // leave with nobody to cover it holds its locks (and the patients waiting on them) only briefly.
  const { hopeless, hopeful } = await splitByCandidates(tx, bulk.rest, groups);
  const flagged = await flagAll(tx, hopeless, causationId);
  settled.events.push(...flagged.events);
  settled.needingAttention += hopeless.length;
  for (const appointment of hopeful) {
    const outcome = await reassignAppointment(tx, appointment, causationId, groups);
    settled.events.push(...outcome.events);
    if (outcome.kind === 'reassigned') settled.reassigned += 1;
    if (outcome.kind === 'needs-attention') settled.needingAttention += 1;
  }
  return settled;
}

/**
 * Future appointments flagged as needing attention that one of these free slots could take (`mayTake`:
 * exactly its time, its practice group, telehealth where it is telehealth).
 */
export async function flaggedFitting(tx: Tx, freed: Slot[], groups: PracticeGroups): Promise<Appointment[]> {
  if (freed.length === 0) return [];
  const flagged = await tx.$queryRawUnsafe<Appointment[]>(
    `SELECT a.id, a.slot_id AS "slotId", a.doctor_id AS "doctorId", a.clinic_id AS "clinicId",
            a.client_id AS "clientId", a.start, a."end", a.status, a.reason_for_visit AS "reasonForVisit",
            a.hold_expires_at AS "holdExpiresAt", a.telehealth,
            a.needs_attention_since AS "needsAttentionSince", a.created_at AS "createdAt",
            a.displaced_since AS "displacedSince", a.displaced_by AS "displacedBy",
            a.updated_at AS "updatedAt"
       FROM appointment a
       JOIN (SELECT DISTINCT * FROM unnest($1::timestamptz[], $2::timestamptz[])) AS t(start, "end")
         ON a.start = t.start AND a."end" = t."end"
      WHERE a.needs_attention_since IS NOT NULL AND a.status = 'booked' AND a.start > now()
      ORDER BY a.start, a.id`,
    freed.map((slot) => slot.start),
    freed.map((slot) => slot.end),
  );
  return flagged.filter((appointment) => freed.some((slot) => mayTake(groups, appointment, slot)));
}

/** Splits appointments into those some free slot could take (`mayTake`), and the rest. */
async function splitByCandidates(
  tx: Tx,
  appointments: Appointment[],
  groups: PracticeGroups,
): Promise<{ hopeless: Appointment[]; hopeful: Appointment[] }> {
  if (appointments.length === 0) return { hopeless: [], hopeful: [] };
  const candidates = await tx.$queryRawUnsafe<
    { start: Date; end: Date; clinicId: string; doctorId: string; telehealth: boolean }[]
  >(
    `SELECT DISTINCT s.start, s."end", s.clinic_id AS "clinicId", s.doctor_id AS "doctorId", s.telehealth
       FROM slot s
      WHERE s.status = 'free'
        AND (s.start, s."end") IN (SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[]))`,
    appointments.map((appointment) => appointment.start),
    appointments.map((appointment) => appointment.end),
  );
  const hopeful = appointments.filter((appointment) =>
    candidates.some((slot) => mayTake(groups, appointment, slot)),
  );
  return { hopeful, hopeless: appointments.filter((appointment) => !hopeful.includes(appointment)) };
}

/** Flags appointments nobody can take, announcing each once (one already flagged is not announced again). */
async function flagAll(
  tx: Tx,
  appointments: Appointment[],
  causationId: string,
): Promise<{ events: EventEnvelope[] }> {
  const fresh = appointments.filter((appointment) => !appointment.needsAttentionSince);
  if (fresh.length === 0) return { events: [] };
  const flagged = await tx.appointment.updateManyAndReturn({
    // Still the bookings that were read: one cancelled or moved since is left alone.
    where: {
      OR: fresh.map((appointment) => ({ id: appointment.id, slotId: appointment.slotId })),
      status: 'booked',
      needsAttentionSince: null,
    },
    data: { needsAttentionSince: new Date() },
  });
  return {
    events: flagged.map((appointment) =>
      appointmentEvent('appointment.needs-attention', appointment, SYSTEM_ACTOR, causationId),
    ),
  };
}
