import { z } from 'zod';
import { ROLES } from '../identity';

const actorSchema = z.object({
  role: z.enum([...ROLES, 'System']),
  subject: z.string().min(1),
});
export type EventActor = z.infer<typeof actorSchema>;

const instant = z.iso.datetime({ offset: true });

/** Where and when an appointment sits: the ids every appointment event carries. */
const appointmentPlacement = {
  appointmentId: z.uuid(),
  slotId: z.uuid(),
  doctorId: z.uuid(),
  clinicId: z.uuid(),
  clientId: z.uuid(),
  start: instant,
  end: instant,
};

/**
 * The payload of every event type, by type name. Only ids, times and statuses: never personal
 * information (names, contact details and reasons for visit stay in their owning service).
 */
export const EVENT_PAYLOADS = {
  'appointment.booked': z.object(appointmentPlacement),
  'appointment.cancelled': z.object(appointmentPlacement),
  /** Moved by the patient or staff to another slot; the old slot was released in the same transaction. */
  'appointment.rescheduled': z.object({
    ...appointmentPlacement,
    previousSlotId: z.uuid(),
    previousDoctorId: z.uuid(),
    previousStart: instant,
  }),
  /** Moved automatically to another doctor at the same time because its doctor became unavailable. */
  'appointment.reassigned': z.object({ ...appointmentPlacement, previousDoctorId: z.uuid() }),
  /** Its doctor became unavailable and nobody is free at that time; retried when availability appears. */
  'appointment.needs-attention': z.object(appointmentPlacement),
  /** A flagged appointment is back with its own doctor, whose time came back (a leave was removed). */
  'appointment.returned': z.object(appointmentPlacement),
  /** A slot's FHIR status changed (free, busy, busy-tentative, busy-unavailable): feeds live availability. */
  'slot.changed': z.object({
    slotId: z.uuid(),
    doctorId: z.uuid(),
    clinicId: z.uuid(),
    start: instant,
    end: instant,
    status: z.enum(['free', 'busy', 'busy-unavailable', 'busy-tentative']),
  }),
  /**
   * The complete set of times a doctor is available within a window, derived from their weekly rules and
   * exceptions. The appointments service reconciles its slots against it: new times become free slots,
   * times that disappeared become busy-unavailable and their appointments are re-assigned.
   */
  'doctor.availability-changed': z.object({
    doctorId: z.uuid(),
    clinicId: z.uuid(),
    windowStart: instant,
    windowEnd: instant,
    slots: z.array(z.object({ start: instant, end: instant })).max(5000),
    /** The doctor offers telehealth. Absent in events published before it existed: read as false. */
    telehealth: z.boolean().optional(),
  }),
  'doctor.status-changed': z.object({
    doctorId: z.uuid(),
    clinicId: z.uuid(),
    status: z.enum(['active', 'unavailable', 'removed']),
  }),
  /** The patient's data key was destroyed: their personal details are gone; the clientId lives on. */
  'patient.erased': z.object({ clientId: z.uuid() }),
  /**
   * The clinic may now reach the patient (their details, bookings by its staff): the patient booked there
   * themself, was registered new there, or gave its reception a code. Ids only.
   */
  'patient.clinic-linked': z.object({ clientId: z.uuid(), clinicId: z.uuid() }),
  /** The patient ended the clinic's reach (or was erased): the clinic no longer reaches them. Ids only. */
  'patient.clinic-unlinked': z.object({ clientId: z.uuid(), clinicId: z.uuid() }),
  // ---- Reminders (issue 19, docs/reminders.md) ----
  /**
   * The patient answered a reminder (an email link; later an SMS reply): confirm or cancel the
   * appointment at the time the reminder was about (`appointmentStart`: a moved appointment is left
   * alone). Ids and a time only. Published by patients, acted on by appointments.
   */
  'patient.reminder-answered': z.object({
    appointmentId: z.uuid(),
    clientId: z.uuid(),
    clinicId: z.uuid(),
    appointmentStart: instant,
    answer: z.enum(['confirm', 'cancel']),
  }),
  // ---- end of reminders ----

  /**
   * An action worth auditing that is not itself an event (a PII read, a failed login or token, an admin
   * action), reported by any service on the `audit` topic; the actor is the envelope's. Ids only: the
   * action is a dotted name such as `patient.pii-read`, the subject a type and a pseudonymous id.
   */
  'audit.recorded': z.object({
    action: z
      .string()
      .max(100)
      .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/),
    subjectType: z
      .string()
      .max(50)
      .regex(/^[A-Z][A-Za-z0-9]*$/),
    subjectId: z.string().min(1).max(200),
    clinicId: z.uuid().optional(),
    clientId: z.uuid().optional(),
  }),

  // ---- Waitlist (issue 19; docs/waitlist.md) ----
  /**
   * A freed slot was offered to a waitlisted patient: claim it with claimWaitlistOffer before expiresAt.
   * In sequential mode `holdId` is the pending appointment keeping the slot busy-tentative for them. Ids and
   * times only; the patients service tells the patient on their channel, the gateway on their live stream.
   */
  'waitlist.offered': z.object({
    offerId: z.uuid(),
    entryId: z.uuid(),
    clientId: z.uuid(),
    clinicId: z.uuid(),
    doctorId: z.uuid(),
    slotId: z.uuid(),
    start: instant,
    end: instant,
    expiresAt: instant,
    mode: z.enum(['broadcast', 'sequential']),
    holdId: z.uuid().optional(),
  }),
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

const baseEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  actor: actorSchema,
  aggregateId: z.string().min(1),
  payload: z.unknown(),
});

/**
 * One event of type T; with no T, the union of every type, so `event.type === 'x'` narrows the payload.
 */
export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: Omit<z.infer<typeof baseEnvelopeSchema>, 'type' | 'payload'> & {
    type: K;
    payload: EventPayload<K>;
  };
}[T];

export class InvalidEventError extends Error {
  constructor(readonly issues: string) {
    super(`invalid event envelope: ${issues}`);
    this.name = 'InvalidEventError';
  }
}

/** Validates an envelope and its payload against the catalogue; used by producers and consumers both. */
export function parseEnvelope(value: unknown): EventEnvelope {
  const base = baseEnvelopeSchema.safeParse(value);
  if (!base.success) throw new InvalidEventError(z.prettifyError(base.error));
  const payloadSchema = (EVENT_PAYLOADS as Record<string, z.ZodType>)[base.data.type];
  if (!payloadSchema) throw new InvalidEventError(`unknown event type ${base.data.type}`);
  const payload = payloadSchema.safeParse(base.data.payload);
  if (!payload.success) throw new InvalidEventError(z.prettifyError(payload.error));
  return { ...base.data, payload: payload.data } as EventEnvelope;
}
