import { randomUUID } from 'node:crypto';
import { appError, createEvent, enqueueEvents, isUuid, type Identity } from '@clinic/platform';
import type { AppointmentsContext } from '../context';
import type { Appointment } from '../generated/prisma/client';
import { Prisma } from '../generated/prisma/client';
import type { BookAppointmentInput } from '../generated/graphql';

export const REASON_MAX_LENGTH = 200;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,100}$/;

export type BookingOutcome =
  | { __typename: 'AppointmentBooked'; appointment: Appointment }
  | { __typename: 'SlotUnavailable'; slotId: string; message: string }
  | { __typename: 'NotAllowed'; message: string }
  | { __typename: 'InvalidInput'; field: string; message: string };

const invalid = (field: string, message: string): BookingOutcome => ({
  __typename: 'InvalidInput',
  field,
  message,
});
const notAllowed = (message: string): BookingOutcome => ({ __typename: 'NotAllowed', message });

/**
 * Books a free slot for a patient. The slot is claimed with a conditional update inside the same
 * transaction that creates the appointment and writes its `appointment.booked` event to the outbox, and
 * a partial unique index backs the claim up, so two concurrent bookings of one slot cannot both succeed
 * and a booking is never without its event. Repeating an idempotency key returns the first outcome.
 */
export async function bookAppointment(
  input: BookAppointmentInput,
  context: AppointmentsContext,
): Promise<BookingOutcome> {
  const { identity, db } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to book an appointment.');

  if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    return invalid('idempotencyKey', 'Use 8 to 100 letters, digits or . _ : - characters.');
  }
  if (!isUuid(input.slotId)) return invalid('slotId', 'This is not a slot id.');
  const reasonForVisit = input.reasonForVisit?.trim() || null;
  if (reasonForVisit && reasonForVisit.length > REASON_MAX_LENGTH) {
    return invalid(
      'reasonForVisit',
      `Keep the reason to ${REASON_MAX_LENGTH} characters; clinical notes do not belong here.`,
    );
  }
  const patient = patientBookedFor(identity, input.clientId ?? null);
  if ('__typename' in patient) return patient;

  const previous = await db.appointment.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
  if (previous) return replay(previous, input.slotId, patient.clientId);

  const slot = await db.slot.findUnique({ where: { id: input.slotId } });
  if (!slot) return invalid('slotId', 'There is no slot with this id.');
  if (identity.role === 'ClinicAdmin' && slot.clinicId !== identity.clinicId) {
    return notAllowed('Clinic administrators book only at their own clinic.');
  }
  const unavailable: BookingOutcome = {
    __typename: 'SlotUnavailable',
    slotId: slot.id,
    message: 'This time has just been taken or is no longer available. Please choose another.',
  };

  try {
    const appointment = await db.$transaction(async (tx) => {
      const claimed = await tx.slot.updateMany({
        where: { id: slot.id, status: 'free', start: { gt: new Date() } },
        data: { status: 'busy' },
      });
      if (claimed.count === 0) return null;
      const booked = await tx.appointment.create({
        data: {
          id: randomUUID(),
          slotId: slot.id,
          doctorId: slot.doctorId,
          clinicId: slot.clinicId,
          clientId: patient.clientId,
          start: slot.start,
          end: slot.end,
          status: 'booked',
          reasonForVisit,
          idempotencyKey: input.idempotencyKey,
        },
      });
      await enqueueEvents(tx, 'appointments', [bookedEvent(booked, identity)]);
      return booked;
    });
    if (!appointment) return unavailable;
    context.outbox.poke();
    return { __typename: 'AppointmentBooked', appointment };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      // Lost a race: either the same idempotency key was just used, or the slot was just booked.
      const winner = await db.appointment.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
      return winner ? replay(winner, input.slotId, patient.clientId) : unavailable;
    }
    throw error;
  }
}

function patientBookedFor(
  identity: Identity,
  clientId: string | null,
): { clientId: string } | BookingOutcome {
  switch (identity.role) {
    case 'Patient':
      if (clientId && clientId !== identity.subject) return notAllowed('Patients book only for themselves.');
      return { clientId: identity.subject };
    case 'ClinicAdmin':
      if (!clientId) return invalid('clientId', 'Name the patient (clientId) you are booking for.');
      if (!isUuid(clientId)) return invalid('clientId', 'This is not a client id.');
      return { clientId };
    default:
      return notAllowed(`A ${identity.role} cannot book appointments.`);
  }
}

function replay(previous: Appointment, slotId: string, clientId: string): BookingOutcome {
  if (previous.slotId !== slotId || previous.clientId !== clientId) {
    return invalid('idempotencyKey', 'This key was already used for a different booking.');
  }
  return { __typename: 'AppointmentBooked', appointment: previous };
}

function bookedEvent(appointment: Appointment, identity: Identity) {
  return createEvent({
    type: 'appointment.booked',
    aggregateId: appointment.id,
    actor: { role: identity.role, subject: identity.subject },
    payload: {
      appointmentId: appointment.id,
      slotId: appointment.slotId,
      doctorId: appointment.doctorId,
      clinicId: appointment.clinicId,
      clientId: appointment.clientId,
      start: appointment.start.toISOString(),
      end: appointment.end.toISOString(),
    },
  });
}
