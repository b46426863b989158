import type { EventEnvelope } from '@clinic/contracts';
import type { SlotDependency, Subject } from './dependencies';

/** A slot that changed: every subject it belongs to, and when it starts. */
export interface SlotTouch {
  subjects: Subject[];
  at: number;
}

/** What an event makes stale: every answer ('all'), answers listing these slots, or nothing. */
export type EventEffect = 'all' | SlotTouch[] | null;

interface Placement {
  slotId: string;
  doctorId: string;
  clinicId: string;
  start: string;
}

const touch = (slotId: string | null, doctorId: string, clinicId: string, start: string): SlotTouch => ({
  subjects: [...(slotId ? [`slot:${slotId}` as const] : []), `doctor:${doctorId}`, `clinic:${clinicId}`],
  at: Date.parse(start),
});

export function eventEffect(event: EventEnvelope): EventEffect {
  const payload = event.payload as Placement & Record<string, unknown>;
  switch (event.type) {
    // A doctor's status, telehealth or time changed: directory answers too. Rare enough to drop everything.
    case 'doctor.availability-changed':
    case 'doctor.status-changed':
      return 'all';
    case 'slot.changed':
    case 'appointment.booked':
    case 'appointment.cancelled':
    case 'appointment.needs-attention':
    case 'appointment.returned':
      return [touch(payload.slotId, payload.doctorId, payload.clinicId, payload.start)];
    case 'appointment.rescheduled': {
      const moved = event.payload as EventEnvelope<'appointment.rescheduled'>['payload'];
      return [
        touch(moved.slotId, moved.doctorId, moved.clinicId, moved.start),
        touch(moved.previousSlotId, moved.previousDoctorId, moved.clinicId, moved.previousStart),
      ];
    }
    case 'appointment.reassigned': {
      const moved = event.payload as EventEnvelope<'appointment.reassigned'>['payload'];
      // The previous doctor's slot at the same time is not named: any of theirs starting then.
      return [
        touch(moved.slotId, moved.doctorId, moved.clinicId, moved.start),
        touch(null, moved.previousDoctorId, moved.clinicId, moved.start),
      ];
    }
    // About patients or the audit trail: nothing a public answer shows.
    case 'patient.erased':
    case 'patient.clinic-linked':
    case 'patient.clinic-unlinked':
    case 'audit.recorded':
    case 'patient.reminder-answered': // a cancel it causes arrives as appointment.cancelled
      return null;
    // An offer to one patient; the hold a sequential offer takes is a slot.changed of its own.
    case 'waitlist.offered':
      return null;
    // A type this gateway does not know yet (a newer service in a rolling deploy): assume the worst.
    default:
      return 'all';
  }
}

/** Whether a change to these slots can alter an answer with these dependencies. */
export function touches(
  effect: Exclude<EventEffect, null>,
  dependencies: readonly SlotDependency[],
): boolean {
  if (effect === 'all') return true;
  return effect.some(({ subjects, at }) =>
    dependencies.some(
      (dependency) =>
        (dependency.subject === '*' || subjects.includes(dependency.subject)) &&
        // An unreadable instant changes anything (NaN fails every comparison, so say it outright).
        (Number.isNaN(at) || (dependency.from <= at && at < dependency.to)),
    ),
  );
}
