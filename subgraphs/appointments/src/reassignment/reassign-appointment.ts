import type { EventEnvelope } from '@clinic/contracts';
import { isOverlapRefusal } from '../booking/claim-slot';
import type { Appointment, Prisma, Slot } from '../generated/prisma/client';
import { appointmentEvent, reassignedEvent, SYSTEM_ACTOR, slotChangedEvent } from '../booking/events';
import type { PracticeGroups } from './practice-groups';

type Tx = Prisma.TransactionClient;

export type ReassignOutcome =
  | { kind: 'reassigned'; appointment: Appointment; events: EventEnvelope[] }
  | { kind: 'needs-attention'; appointment: Appointment; events: EventEnvelope[] }
  /** Cancelled or moved by someone else since it was read: nothing to do. */
  | { kind: 'changed'; appointment: Appointment; events: EventEnvelope[] };

const MAX_CANDIDATES = 5;

/**
 * Moves one appointment whose doctor became unavailable to another doctor free at exactly the same time,
 * at its own clinic first, then at the clinics its practice groups with it (never elsewhere); a telehealth
 * appointment only to a doctor who offers telehealth (`mayTake`'s rule). Runs inside the caller's
 * transaction; each attempt sits in a savepoint, so a candidate refused by the exclusion constraints (the
 * doctor is busy at an overlapping time through a slot of another length) is rolled back alone and the
 * next candidate tried. With nobody free, the
 * appointment is flagged as needing attention (announced once) and retried when availability appears.
 */
export async function reassignAppointment(
  tx: Tx,
  appointment: Appointment,
  causationId: string,
  groups: PracticeGroups,
): Promise<ReassignOutcome> {
  const tried: string[] = [appointment.doctorId];
  for (let attempt = 0; attempt < MAX_CANDIDATES; attempt += 1) {
    const [candidate] = await tx.$queryRawUnsafe<Slot[]>(
      `SELECT id, doctor_id AS "doctorId", clinic_id AS "clinicId", start, "end", status, telehealth
         FROM slot
        WHERE start = $1 AND "end" = $2 AND status = 'free' AND doctor_id <> ALL($3::uuid[])
          AND clinic_id = ANY($5::uuid[]) AND (NOT $6::boolean OR telehealth)
        ORDER BY (clinic_id = $4::uuid) DESC, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED`,
      appointment.start,
      appointment.end,
      tried,
      appointment.clinicId,
      groups.of(appointment.clinicId),
      appointment.telehealth,
    );
    if (!candidate) break;
    tried.push(candidate.doctorId);
    await tx.$executeRawUnsafe('SAVEPOINT reassign');
    try {
      const [claimed] = await tx.slot.updateManyAndReturn({
        where: { id: candidate.id, status: 'free' },
        data: { status: 'busy' },
      });
      if (!claimed) {
        await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT reassign');
        continue;
      }
      // Only if it is still the booking that was read: a patient may have cancelled or moved it since.
      const [moved] = await tx.appointment.updateManyAndReturn({
        where: { id: appointment.id, status: 'booked', slotId: appointment.slotId },
        data: {
          slotId: claimed.id,
          doctorId: claimed.doctorId,
          clinicId: claimed.clinicId,
          needsAttentionSince: null,
        },
      });
      if (!moved) {
        await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT reassign');
        return { kind: 'changed', appointment, events: [] };
      }
      await tx.$executeRawUnsafe('RELEASE SAVEPOINT reassign');
      return {
        kind: 'reassigned',
        appointment: moved,
        events: [
          reassignedEvent(moved, appointment.doctorId, causationId),
          slotChangedEvent(claimed, SYSTEM_ACTOR, causationId),
        ],
      };
    } catch (error) {
      if (!isOverlapRefusal(error)) throw error;
      await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT reassign');
    }
  }
  if (appointment.needsAttentionSince) return { kind: 'needs-attention', appointment, events: [] };
  const [flagged] = await tx.appointment.updateManyAndReturn({
    where: { id: appointment.id, status: 'booked', slotId: appointment.slotId },
    data: { needsAttentionSince: new Date() },
  });
  if (!flagged) return { kind: 'changed', appointment, events: [] };
  return {
    kind: 'needs-attention',
    appointment: flagged,
    events: [appointmentEvent('appointment.needs-attention', flagged, SYSTEM_ACTOR, causationId)],
  };
}
