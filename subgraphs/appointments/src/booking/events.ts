import type { EventActor, EventEnvelope, Identity } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import type { Appointment, Slot } from '../generated/prisma/client';

export const SYSTEM_ACTOR: EventActor = { role: 'System', subject: 'appointments' };

export function actorOf(identity: Identity): EventActor {
  return { role: identity.role, subject: identity.subject };
}

function placement(appointment: Appointment) {
  return {
    appointmentId: appointment.id,
    slotId: appointment.slotId,
    doctorId: appointment.doctorId,
    clinicId: appointment.clinicId,
    clientId: appointment.clientId,
    start: appointment.start.toISOString(),
    end: appointment.end.toISOString(),
  };
}

type PlacementEventType =
  'appointment.booked' | 'appointment.cancelled' | 'appointment.needs-attention' | 'appointment.returned';

export function appointmentEvent(
  type: PlacementEventType,
  appointment: Appointment,
  actor: EventActor,
  causationId?: string,
): EventEnvelope {
  return createEvent({
    type,
    aggregateId: appointment.id,
    actor,
    payload: placement(appointment),
    ...(causationId ? { causationId } : {}),
  });
}

export function rescheduledEvent(
  moved: Appointment,
  previous: Appointment,
  actor: EventActor,
): EventEnvelope {
  return createEvent({
    type: 'appointment.rescheduled',
    aggregateId: moved.id,
    actor,
    payload: {
      ...placement(moved),
      previousSlotId: previous.slotId,
      previousDoctorId: previous.doctorId,
      previousStart: previous.start.toISOString(),
    },
  });
}

export function reassignedEvent(
  moved: Appointment,
  previousDoctorId: string,
  causationId: string,
): EventEnvelope {
  return createEvent({
    type: 'appointment.reassigned',
    aggregateId: moved.id,
    actor: SYSTEM_ACTOR,
    causationId,
    payload: { ...placement(moved), previousDoctorId },
  });
}

const FHIR_SLOT_STATUS = {
  free: 'free',
  busy: 'busy',
  busy_unavailable: 'busy-unavailable',
  busy_tentative: 'busy-tentative',
} as const;

/** Every slot status change is published, keyed by slot id: live availability is built from these. */
export function slotChangedEvent(
  slot: Pick<Slot, 'id' | 'doctorId' | 'clinicId' | 'start' | 'end' | 'status'>,
  actor: EventActor,
  causationId?: string,
): EventEnvelope {
  return createEvent({
    type: 'slot.changed',
    aggregateId: slot.id,
    actor,
    ...(causationId ? { causationId } : {}),
    payload: {
      slotId: slot.id,
      doctorId: slot.doctorId,
      clinicId: slot.clinicId,
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
      status: FHIR_SLOT_STATUS[slot.status],
    },
  });
}
