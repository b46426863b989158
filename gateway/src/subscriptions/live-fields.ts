import {
  appError,
  type EventEnvelope,
  type EventType,
  type Identity,
  type TopicKey,
} from '@clinic/contracts';
import type { GraphQLError } from 'graphql';

/** The payload object a subscription field yields for one event, before its entity is resolved. */
export type LivePayload = Record<string, unknown>;

/**
 * How one Subscription field of the supergraph maps onto an event stream. The gateway, not a subgraph,
 * executes these: it filters each event for each subscriber, then resolves `entity` through the query
 * planner as a root query (`slot(id:)`, `appointment(id:)`, `doctor(id:)`) with the subscriber's identity.
 */
export interface LiveField {
  topic: TopicKey;
  eventTypes: readonly EventType[];
  /** Refuses a subscriber up front; null when the identity may subscribe. */
  authorize(identity: Identity | null): GraphQLError | null;
  /** Whether this event goes to a subscriber with these field arguments and this identity. */
  matches(event: EventEnvelope, args: Record<string, unknown>, identity: Identity | null): boolean;
  payload(event: EventEnvelope): LivePayload;
  /** The payload field holding the entity, the root query field that loads it, and the event's id for it. */
  entity: { field: string; queryField: string; id(event: EventEnvelope): string };
}

const fhirStatus = (status: string) => status.replace(/-/g, '_');
const instant = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : NaN);

const APPOINTMENT_KINDS = {
  'appointment.booked': 'booked',
  'appointment.cancelled': 'cancelled',
  'appointment.rescheduled': 'rescheduled',
  'appointment.reassigned': 'reassigned',
  'appointment.needs-attention': 'needs_attention',
  'appointment.returned': 'returned',
  // Waitlist (issue 19): an offer of a freed time to this patient.
  'waitlist.offered': 'waitlist_offer',
} as const satisfies Partial<Record<EventType, string>>;

export const LIVE_FIELDS: Record<string, LiveField> = {
  slotAvailabilityChanged: {
    topic: 'appointments',
    eventTypes: ['slot.changed'],
    authorize: () => null,
    matches: (event, args) => {
      if (event.type !== 'slot.changed') return false;
      const slot = (event as EventEnvelope<'slot.changed'>).payload;
      const start = Date.parse(slot.start);
      return (
        (args['clinicId'] == null || args['clinicId'] === slot.clinicId) &&
        (args['doctorId'] == null || args['doctorId'] === slot.doctorId) &&
        start >= instant(args['from']) &&
        start < instant(args['to'])
      );
    },
    payload: (event) => {
      const slot = (event as EventEnvelope<'slot.changed'>).payload;
      return { slotId: slot.slotId, status: fhirStatus(slot.status), occurredAt: event.occurredAt };
    },
    entity: {
      field: 'slot',
      queryField: 'slot',
      id: (event) => (event as EventEnvelope<'slot.changed'>).payload.slotId,
    },
  },
  myAppointmentUpdates: {
    topic: 'appointments',
    eventTypes: Object.keys(APPOINTMENT_KINDS) as EventType[],
    authorize: (identity) =>
      identity?.role === 'Patient'
        ? null
        : identity
          ? appError('FORBIDDEN', 'Only patients have their own appointment updates.')
          : appError('UNAUTHENTICATED', 'Sign in to receive your appointment updates.'),
    // A patient's stream carries their own appointments only; the subgraph checks again on resolution.
    matches: (event, _args, identity) =>
      Object.hasOwn(APPOINTMENT_KINDS, event.type) &&
      identity?.role === 'Patient' &&
      (event.payload as { clientId?: unknown }).clientId === identity.subject,
    payload: (event) => {
      const kind = APPOINTMENT_KINDS[event.type as keyof typeof APPOINTMENT_KINDS];
      if (event.type === 'waitlist.offered') {
        const offer = (event as EventEnvelope<'waitlist.offered'>).payload;
        // No appointment yet: appointmentId carries the offer's id (non-null for existing clients).
        return {
          kind,
          appointmentId: offer.offerId,
          offerId: offer.offerId,
          slotId: offer.slotId,
          offerExpiresAt: offer.expiresAt,
          occurredAt: event.occurredAt,
        };
      }
      return {
        kind,
        appointmentId: (event.payload as { appointmentId: string }).appointmentId,
        occurredAt: event.occurredAt,
      };
    },
    entity: {
      field: 'appointment',
      queryField: 'appointment',
      // An offer's id names no appointment, so `appointment` is null for it.
      id: (event) =>
        event.type === 'waitlist.offered'
          ? (event as EventEnvelope<'waitlist.offered'>).payload.offerId
          : (event.payload as { appointmentId: string }).appointmentId,
    },
  },
  doctorStatusChanged: {
    topic: 'doctors',
    eventTypes: ['doctor.status-changed'],
    authorize: () => null,
    matches: (event, args) =>
      event.type === 'doctor.status-changed' &&
      (event as EventEnvelope<'doctor.status-changed'>).payload.clinicId === args['clinicId'],
    payload: (event) => {
      const change = (event as EventEnvelope<'doctor.status-changed'>).payload;
      return { doctorId: change.doctorId, status: change.status };
    },
    entity: {
      field: 'doctor',
      queryField: 'doctor',
      id: (event) => (event as EventEnvelope<'doctor.status-changed'>).payload.doctorId,
    },
  },
};

/**
 * Which subscribers may share one resolution: the same identity-derived permissions. Patients and doctors
 * see by who they are; other staff by role and clinic; a system administrator or an anonymous caller by
 * role alone.
 */
export function permissionKey(identity: Identity | null): string {
  if (!identity) return 'anonymous';
  if (identity.role === 'Patient' || identity.role === 'Doctor')
    return `${identity.role}:${identity.subject}:${identity.clinicId ?? ''}`;
  return identity.clinicId ? `${identity.role}:${identity.clinicId}` : identity.role;
}
