import { appError, enqueueEvents } from '@clinic/platform';
import type { AppointmentsContext } from '../context';
import type { Appointment } from '../generated/prisma/client';
import type { CancelAppointmentInput } from '../generated/graphql';
import { releaseSlot } from './claim-slot';
import { actorOf, appointmentEvent, slotChangedEvent } from './events';
import { previousOutcome, storeOutcome, type IdempotentRequest } from './idempotency';
import {
  checkId,
  checkIdempotencyKey,
  invalid,
  mayChange,
  notFound,
  type AppointmentNotFound,
  type InvalidInput,
  type NotAllowed,
} from './outcomes';

export type CancelOutcome =
  | { __typename: 'AppointmentCancelled'; appointment: Appointment }
  | AppointmentNotFound
  | NotAllowed
  | InvalidInput;

/** Cancels a future booking or a hold and gives its slot back, with both events, in one transaction. */
export async function cancelAppointment(
  input: CancelAppointmentInput,
  context: AppointmentsContext,
): Promise<CancelOutcome> {
  const { identity, db } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to cancel an appointment.');
  const refusal = checkIdempotencyKey(input.idempotencyKey) ?? checkId('appointmentId', input.appointmentId);
  if (refusal) return refusal;
  const request: IdempotentRequest = {
    key: input.idempotencyKey,
    operation: 'cancelAppointment',
    actorSubject: identity.subject,
    input: { appointmentId: input.appointmentId },
  };
  const previous = await previousOutcome(db, request);
  if (previous && 'refused' in previous) return previous.refused;
  if (previous) {
    const appointment = await db.appointment.findUniqueOrThrow({
      where: { id: previous.stored.appointmentId },
    });
    return { __typename: 'AppointmentCancelled', appointment };
  }
  const current = await db.appointment.findUnique({ where: { id: input.appointmentId } });
  if (!current || !mayChange(identity, current)) return notFound(input.appointmentId);

  const cancelled = await db.$transaction(async (tx) => {
    const [row] = await tx.appointment.updateManyAndReturn({
      where: { id: current.id, status: { in: ['pending', 'booked'] }, start: { gt: new Date() } },
      data: { status: 'cancelled', holdExpiresAt: null, needsAttentionSince: null },
    });
    if (!row) return null;
    const slot = await releaseSlot(tx, row.slotId);
    await storeOutcome(tx, request, { __typename: 'AppointmentCancelled', appointmentId: row.id });
    await enqueueEvents(tx, 'appointments', [
      appointmentEvent('appointment.cancelled', row, actorOf(identity)),
      ...(slot ? [slotChangedEvent(slot, actorOf(identity))] : []),
    ]);
    return row;
  });
  if (!cancelled) {
    return invalid('appointmentId', 'Only a future booking or hold can be cancelled.');
  }
  context.outbox.poke();
  return { __typename: 'AppointmentCancelled', appointment: cancelled };
}
