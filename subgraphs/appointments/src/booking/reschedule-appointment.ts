import { appError, enqueueEvents } from '@clinic/platform';
import type { AppointmentsContext } from '../context';
import type { Appointment } from '../generated/prisma/client';
import type { RescheduleAppointmentInput } from '../generated/graphql';
import { claimSlot, isBookingConflict, placementOn, releaseSlot } from './claim-slot';
import { actorOf, rescheduledEvent, slotChangedEvent } from './events';
import { previousOutcome, storeOutcome, type IdempotentRequest } from './idempotency';
import {
  checkId,
  checkIdempotencyKey,
  invalid,
  mayChange,
  notAllowed,
  notFound,
  slotUnavailable,
  type AppointmentNotFound,
  type InvalidInput,
  type NotAllowed,
  type SlotUnavailable,
} from './outcomes';

export type RescheduleOutcome =
  | { __typename: 'AppointmentRescheduled'; appointment: Appointment; previousSlotId: string }
  | SlotUnavailable
  | AppointmentNotFound
  | NotAllowed
  | InvalidInput;

/**
 * Moves a booking to another free slot atomically: the new slot is claimed, the appointment moved and
 * the old slot released in one transaction, so the old time is given up only if the new one is booked.
 * The exclusion constraints refuse a move that would overlap another of the patient's appointments.
 */
export async function rescheduleAppointment(
  input: RescheduleAppointmentInput,
  context: AppointmentsContext,
): Promise<RescheduleOutcome> {
  const { identity, db } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to reschedule an appointment.');
  const refusal =
    checkIdempotencyKey(input.idempotencyKey) ??
    checkId('appointmentId', input.appointmentId) ??
    checkId('slotId', input.slotId);
  if (refusal) return refusal;
  const request: IdempotentRequest = {
    key: input.idempotencyKey,
    operation: 'rescheduleAppointment',
    actorSubject: identity.subject,
    input: { appointmentId: input.appointmentId, slotId: input.slotId },
  };
  const previous = await previousOutcome(db, request);
  if (previous && 'refused' in previous) return previous.refused;
  if (previous) {
    const appointment = await db.appointment.findUniqueOrThrow({
      where: { id: previous.stored.appointmentId },
    });
    return {
      __typename: 'AppointmentRescheduled',
      appointment,
      previousSlotId: previous.stored['previousSlotId'] ?? '',
    };
  }
  const current = await db.appointment.findUnique({ where: { id: input.appointmentId } });
  if (!current || !mayChange(identity, current)) return notFound(input.appointmentId);
  if (current.status !== 'booked' || current.start <= new Date()) {
    return invalid('appointmentId', 'Only a future booking can be rescheduled.');
  }
  if (current.slotId === input.slotId) return invalid('slotId', 'The appointment is already at this slot.');
  const target = await db.slot.findUnique({ where: { id: input.slotId } });
  if (!target) return invalid('slotId', 'There is no slot with this id.');
  if (identity.role === 'ClinicAdmin' && target.clinicId !== identity.clinicId) {
    return notAllowed('Clinic administrators reschedule only within their own clinic.');
  }

  try {
    const moved = await db.$transaction(async (tx) => {
      const claimed = await claimSlot(tx, target.id, 'busy');
      if (!claimed) return null;
      const [row] = await tx.appointment.updateManyAndReturn({
        where: { id: current.id, status: 'booked', slotId: current.slotId },
        data: { ...placementOn(claimed), needsAttentionSince: null },
      });
      // Someone else moved or cancelled it meanwhile: roll back the claim by throwing.
      if (!row) throw new ConcurrentChange();
      const released = await releaseSlot(tx, current.slotId);
      await storeOutcome(tx, request, {
        __typename: 'AppointmentRescheduled',
        appointmentId: row.id,
        previousSlotId: current.slotId,
      });
      await enqueueEvents(tx, 'appointments', [
        rescheduledEvent(row, current, actorOf(identity)),
        slotChangedEvent(claimed, actorOf(identity)),
        ...(released ? [slotChangedEvent(released, actorOf(identity))] : []),
      ]);
      return row;
    });
    if (!moved) return slotUnavailable(target.id);
    context.outbox.poke();
    return { __typename: 'AppointmentRescheduled', appointment: moved, previousSlotId: current.slotId };
  } catch (error) {
    if (error instanceof ConcurrentChange) {
      return invalid('appointmentId', 'The appointment was changed meanwhile. Reload it and try again.');
    }
    if (isBookingConflict(error)) {
      return slotUnavailable(target.id, 'This time is taken or overlaps another of your appointments.');
    }
    throw error;
  }
}

class ConcurrentChange extends Error {}
