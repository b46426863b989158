import { randomUUID } from 'node:crypto';
import { appError, enqueueEvents, type Identity } from '@clinic/platform';
import type { AppointmentsContext } from '../context';
import type { Appointment } from '../generated/prisma/client';
import type { BookAppointmentInput } from '../generated/graphql';
import { claimSlot, isBookingConflict, placementOn } from './claim-slot';
import { actorOf, appointmentEvent, slotChangedEvent } from './events';
import { previousOutcome, storeOutcome, type IdempotentRequest } from './idempotency';
import {
  checkId,
  checkIdempotencyKey,
  checkReason,
  invalid,
  mayChange,
  notAllowed,
  notFound,
  patientActedFor,
  slotUnavailable,
  type Refusal,
} from './outcomes';

export type BookingOutcome = { __typename: 'AppointmentBooked'; appointment: Appointment } | Refusal;

/**
 * Books a free slot, or confirms a hold, for a patient. The slot is claimed with a conditional update
 * inside the transaction that writes the appointment and its events to the outbox; a partial unique
 * index and the exclusion constraints back the claim up, so two concurrent bookings of one slot (or two
 * overlapping bookings for one patient) cannot both succeed, and a booking is never without its event.
 * Repeating an idempotency key returns the first outcome.
 */
export async function bookAppointment(
  input: BookAppointmentInput,
  context: AppointmentsContext,
): Promise<BookingOutcome> {
  const { identity } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to book an appointment.');
  const refusal =
    checkIdempotencyKey(input.idempotencyKey) ??
    ((input.slotId == null) === (input.holdId == null)
      ? invalid('slotId', 'Give either a free slotId or the holdId of your hold, not both.')
      : null) ??
    (input.slotId != null ? checkId('slotId', input.slotId) : null) ??
    (input.holdId != null ? checkId('holdId', input.holdId) : null);
  if (refusal) return refusal;
  const reason = checkReason(input.reasonForVisit);
  if ('__typename' in reason) return reason;

  return input.holdId != null
    ? confirmHold(input.holdId, reason.reason, input.idempotencyKey, identity, context)
    : bookFreeSlot(input.slotId as string, reason.reason, input, identity, context);
}

async function bookFreeSlot(
  slotId: string,
  reasonForVisit: string | null,
  input: BookAppointmentInput,
  identity: Identity,
  context: AppointmentsContext,
): Promise<BookingOutcome> {
  const { db } = context;
  const patient = patientActedFor(identity, input.clientId ?? null);
  if ('__typename' in patient) return patient;

  const previous = await db.appointment.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
  if (previous) return replay(previous, slotId, patient.clientId);

  const slot = await db.slot.findUnique({ where: { id: slotId } });
  if (!slot) return invalid('slotId', 'There is no slot with this id.');
  if (identity.role === 'ClinicAdmin' && slot.clinicId !== identity.clinicId) {
    return notAllowed('Clinic administrators book only at their own clinic.');
  }
  try {
    const appointment = await db.$transaction(async (tx) => {
      const claimed = await claimSlot(tx, slot.id, 'busy');
      if (!claimed) return null;
      const booked = await tx.appointment.create({
        data: {
          id: randomUUID(),
          ...placementOn(claimed),
          clientId: patient.clientId,
          status: 'booked',
          reasonForVisit,
          idempotencyKey: input.idempotencyKey,
        },
      });
      await enqueueEvents(tx, 'appointments', [
        appointmentEvent('appointment.booked', booked, actorOf(identity)),
        slotChangedEvent(claimed, actorOf(identity)),
      ]);
      return booked;
    });
    if (!appointment) return slotUnavailable(slot.id);
    context.outbox.poke();
    return { __typename: 'AppointmentBooked', appointment };
  } catch (error) {
    if (!isBookingConflict(error)) throw error;
    // Lost a race (same key, same slot) or the patient already has an appointment at this time.
    const winner = await db.appointment.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    return winner ? replay(winner, slotId, patient.clientId) : slotUnavailable(slot.id);
  }
}

async function confirmHold(
  holdId: string,
  reasonForVisit: string | null,
  idempotencyKey: string,
  identity: Identity,
  context: AppointmentsContext,
): Promise<BookingOutcome> {
  const { db } = context;
  const request: IdempotentRequest = {
    key: idempotencyKey,
    operation: 'confirmHold',
    actorSubject: identity.subject,
    input: { holdId, reasonForVisit },
  };
  const previous = await previousOutcome(db, request);
  if (previous && 'refused' in previous) return previous.refused;
  if (previous) {
    const appointment = await db.appointment.findUniqueOrThrow({
      where: { id: previous.stored.appointmentId },
    });
    return { __typename: 'AppointmentBooked', appointment };
  }
  const hold = await db.appointment.findUnique({ where: { id: holdId } });
  if (!hold || !mayChange(identity, hold)) return notFound(holdId);

  const confirmed = await db.$transaction(async (tx) => {
    const [booked] = await tx.appointment.updateManyAndReturn({
      where: { id: holdId, status: 'pending', holdExpiresAt: { gt: new Date() } },
      data: { status: 'booked', holdExpiresAt: null, reasonForVisit },
    });
    if (!booked) return null;
    const [slot] = await tx.slot.updateManyAndReturn({
      where: { id: booked.slotId, status: 'busy_tentative' },
      data: { status: 'busy' },
    });
    await storeOutcome(tx, request, { __typename: 'AppointmentBooked', appointmentId: booked.id });
    await enqueueEvents(tx, 'appointments', [
      appointmentEvent('appointment.booked', booked, actorOf(identity)),
      ...(slot ? [slotChangedEvent(slot, actorOf(identity))] : []),
    ]);
    return booked;
  });
  if (!confirmed) {
    return {
      __typename: 'HoldExpired',
      holdId,
      message: 'This hold has expired or was released. Hold the slot again if it is still free.',
    };
  }
  context.outbox.poke();
  return { __typename: 'AppointmentBooked', appointment: confirmed };
}

function replay(previous: Appointment, slotId: string, clientId: string): BookingOutcome {
  if (previous.slotId !== slotId || previous.clientId !== clientId || previous.status === 'pending') {
    return invalid('idempotencyKey', 'This key was already used for a different request.');
  }
  return { __typename: 'AppointmentBooked', appointment: previous };
}
