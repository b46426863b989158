import type { EventEnvelope } from '@clinic/contracts';
import { isOverlapRefusal } from '../booking/claim-slot';
import type { Appointment, Prisma } from '../generated/prisma/client';
import { reassignedEvent, SYSTEM_ACTOR, slotChangedEvent } from '../booking/events';
import type { PracticeGroups } from './practice-groups';

type Tx = Prisma.TransactionClient;

/**
 * Re-assigns many appointments in a few statements: per time, the k-th displaced appointment is paired
 * with the k-th free slot of another doctor at exactly that time in its practice group (same clinic
 * first; a clinic without a group is a group of its own), then all pairs are claimed and moved at once.
 * Telehealth appointments are paired first, with telehealth slots only (`mayTake`'s rule), then in-person
 * ones with the slots left. A doctor has one slot per start time, so no doctor is given two appointments
 * at one time. If the database refuses the batch (an exclusion constraint: a colleague busy at an
 * overlapping time through a slot of another length), the savepoint is rolled back and every appointment
 * is left for the one-by-one path, as are those without a partner here.
 */
export async function reassignInBulk(
  tx: Tx,
  appointments: Appointment[],
  causationId: string,
  groups: PracticeGroups,
): Promise<{ moved: Appointment[]; events: EventEnvelope[]; rest: Appointment[] }> {
  if (appointments.length === 0) return { moved: [], events: [], rest: [] };
  const pairs = await tx.$queryRawUnsafe<{ appointmentId: string; slotId: string }[]>(
    `WITH grouped AS (SELECT * FROM unnest($4::uuid[], $5::text[]) AS g(clinic_id, group_key)),
     displaced AS (
       SELECT a.id, a.start, a."end", a.telehealth, COALESCE(g.group_key, a.clinic_id::text) AS group_key,
              row_number() OVER (PARTITION BY a.start, a."end", COALESCE(g.group_key, a.clinic_id::text),
                                              a.telehealth
                                 ORDER BY a.id) AS n
         FROM appointment a LEFT JOIN grouped g ON g.clinic_id = a.clinic_id
        WHERE a.id = ANY($1::uuid[])),
     candidates AS (
       SELECT s.id, s.start, s."end", s.telehealth, COALESCE(g.group_key, s.clinic_id::text) AS group_key,
              s.clinic_id = ANY($2::uuid[]) AS near
         FROM slot s LEFT JOIN grouped g ON g.clinic_id = s.clinic_id
        WHERE s.status = 'free' AND s.doctor_id <> ALL($3::uuid[])
          AND (s.start, s."end") IN (SELECT start, "end" FROM displaced)),
     remote AS (
       SELECT d.id AS appointment_id, c.id AS slot_id
         FROM displaced d
         JOIN (SELECT *, row_number() OVER (PARTITION BY start, "end", group_key ORDER BY near DESC, id) AS n
                 FROM candidates WHERE telehealth) c
           ON d.telehealth AND c.start = d.start AND c."end" = d."end" AND c.group_key = d.group_key AND c.n = d.n),
     in_person AS (
       SELECT d.id AS appointment_id, c.id AS slot_id
         FROM displaced d
         JOIN (SELECT *, row_number() OVER (PARTITION BY start, "end", group_key ORDER BY near DESC, id) AS n
                 FROM candidates WHERE id NOT IN (SELECT slot_id FROM remote)) c
           ON NOT d.telehealth AND c.start = d.start AND c."end" = d."end" AND c.group_key = d.group_key AND c.n = d.n)
     SELECT appointment_id AS "appointmentId", slot_id AS "slotId" FROM remote
     UNION ALL
     SELECT appointment_id, slot_id FROM in_person`,
    appointments.map((appointment) => appointment.id),
    [...new Set(appointments.map((appointment) => appointment.clinicId))],
    [...new Set(appointments.map((appointment) => appointment.doctorId))],
    groups.clinicIds,
    groups.keys,
  );
  if (pairs.length === 0) return { moved: [], events: [], rest: appointments };

  await tx.$executeRawUnsafe('SAVEPOINT reassign_bulk');
  try {
    const claimed = await tx.slot.updateManyAndReturn({
      where: { id: { in: pairs.map((pair) => pair.slotId) }, status: 'free' },
      data: { status: 'busy' },
    });
    const slots = new Map(claimed.map((slot) => [slot.id, slot]));
    const ready = pairs.filter((pair) => slots.has(pair.slotId));
    const previousSlot = new Map(appointments.map((appointment) => [appointment.id, appointment.slotId]));
    const movedIds = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE appointment a
          SET slot_id = s.id, doctor_id = s.doctor_id, clinic_id = s.clinic_id,
              needs_attention_since = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS p(appointment_id, slot_id, previous_slot_id)
         JOIN slot s ON s.id = p.slot_id
        -- Only if it is still the booking that was read: a patient may have cancelled or moved it since.
        WHERE a.id = p.appointment_id AND a.status = 'booked' AND a.slot_id = p.previous_slot_id
       RETURNING a.id`,
      ready.map((pair) => pair.appointmentId),
      ready.map((pair) => pair.slotId),
      ready.map((pair) => previousSlot.get(pair.appointmentId) ?? null),
    );
    await tx.$executeRawUnsafe('RELEASE SAVEPOINT reassign_bulk');
    const before = new Map(appointments.map((appointment) => [appointment.id, appointment]));
    const done = new Set(movedIds.map((row) => row.id));
    const moved: Appointment[] = [];
    const events: EventEnvelope[] = [];
    for (const pair of ready) {
      const previous = before.get(pair.appointmentId);
      const slot = slots.get(pair.slotId);
      if (!previous || !slot || !done.has(pair.appointmentId)) continue;
      const appointment = {
        ...previous,
        slotId: slot.id,
        doctorId: slot.doctorId,
        clinicId: slot.clinicId,
        needsAttentionSince: null,
      };
      moved.push(appointment);
      events.push(
        reassignedEvent(appointment, previous.doctorId, causationId),
        slotChangedEvent(slot, SYSTEM_ACTOR, causationId),
      );
    }
    // Claimed slots whose appointment did not move (none in practice) are given back.
    const unused = claimed.filter((slot) => !moved.some((appointment) => appointment.slotId === slot.id));
    if (unused.length > 0) {
      await tx.slot.updateMany({
        where: { id: { in: unused.map((slot) => slot.id) } },
        data: { status: 'free' },
      });
    }
    return { moved, events, rest: appointments.filter((appointment) => !done.has(appointment.id)) };
  } catch (error) {
    if (!isOverlapRefusal(error)) throw error;
    await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT reassign_bulk');
    return { moved: [], events: [], rest: appointments };
  }
}
