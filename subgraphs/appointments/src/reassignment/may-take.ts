import type { Appointment, Slot } from '../generated/prisma/client';
import type { PracticeGroups } from './practice-groups';

type Placed = Pick<Appointment, 'doctorId' | 'clinicId' | 'start' | 'end' | 'telehealth'>;
type Offered = Pick<Slot, 'doctorId' | 'clinicId' | 'start' | 'end' | 'telehealth'>;

/**
 * The one rule for where a displaced appointment may go: a slot of another doctor at exactly its time,
 * at a clinic of its practice group; a telehealth appointment only to a doctor who offers telehealth (at
 * any clinic of the group: the patient does not travel). The SQL that pairs many at once
 * (reassign-in-bulk) and picks one candidate (reassign-appointment) says the same.
 */
export function mayTake(groups: PracticeGroups, appointment: Placed, slot: Offered): boolean {
  return (
    slot.doctorId !== appointment.doctorId &&
    slot.start.getTime() === appointment.start.getTime() &&
    slot.end.getTime() === appointment.end.getTime() &&
    groups.of(appointment.clinicId).includes(slot.clinicId) &&
    (!appointment.telehealth || slot.telehealth)
  );
}
