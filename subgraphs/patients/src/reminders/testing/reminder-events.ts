import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventType } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';

export interface Appointment {
  appointmentId: string;
  slotId: string;
  doctorId: string;
  clinicId: string;
  clientId: string;
  start: Date;
}

/** A fresh appointment (random ids, mock data only) starting at `start`, 30 minutes long. */
export function anAppointment(start: Date, over: Partial<Appointment> = {}): Appointment {
  return {
    appointmentId: randomUUID(),
    slotId: randomUUID(),
    doctorId: randomUUID(),
    clinicId: randomUUID(),
    clientId: randomUUID(),
    start,
    ...over,
  };
}

type PlacementType = Exclude<
  EventType,
  | 'appointment.rescheduled'
  | 'appointment.reassigned'
  | 'slot.changed'
  | `doctor.${string}`
  | `patient.${string}`
  | 'audit.recorded'
>;

function placement(a: Appointment) {
  return {
    appointmentId: a.appointmentId,
    slotId: a.slotId,
    doctorId: a.doctorId,
    clinicId: a.clinicId,
    clientId: a.clientId,
    start: a.start.toISOString(),
    end: new Date(a.start.getTime() + 30 * 60_000).toISOString(),
  };
}

/** An appointment event that happened at `at` (the booking time the scheduler compares due instants with). */
export function eventOf(type: PlacementType, a: Appointment, at: Date): EventEnvelope {
  const event = createEvent({
    type,
    aggregateId: a.appointmentId,
    actor: { role: 'System', subject: 'test' },
    payload: placement(a),
  });
  return { ...event, occurredAt: at.toISOString() };
}

export function rescheduled(from: Appointment, to: Appointment, at: Date): EventEnvelope {
  const event = createEvent({
    type: 'appointment.rescheduled',
    aggregateId: to.appointmentId,
    actor: { role: 'System', subject: 'test' },
    payload: {
      ...placement(to),
      previousSlotId: from.slotId,
      previousDoctorId: from.doctorId,
      previousStart: from.start.toISOString(),
    },
  });
  return { ...event, occurredAt: at.toISOString() };
}

export function reassigned(from: Appointment, to: Appointment, at: Date): EventEnvelope {
  const event = createEvent({
    type: 'appointment.reassigned',
    aggregateId: to.appointmentId,
    actor: { role: 'System', subject: 'test' },
    payload: { ...placement(to), previousDoctorId: from.doctorId },
  });
  return { ...event, occurredAt: at.toISOString() };
}
