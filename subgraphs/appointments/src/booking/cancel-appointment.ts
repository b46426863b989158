import type { EventActor } from '@clinic/contracts';
import { enqueueEvents, mutation } from '@clinic/platform';
import { mayChange } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { Appointment, Prisma } from '../generated/prisma/client';
import type { CancelAppointmentInput } from '../generated/graphql';
import { lockSlots, releaseSlot } from './claim-slot';
import { actorOf, appointmentEvent, slotChangedEvent } from './events';
import { invalid, notFound, type AppointmentNotFound, type InvalidInput, type NotAllowed } from './outcomes';

export type CancelOutcome =
  | { __typename: 'AppointmentCancelled'; appointment: Appointment }
  | AppointmentNotFound
  | NotAllowed
  | InvalidInput;

type Tx = Prisma.TransactionClient;

/**
 * Cancels a future booking or a hold and gives its slot back, with both events, in one transaction. A
 * repeat of the key answers the first outcome (runIdempotent).
 */
export async function cancelAppointment(
  input: CancelAppointmentInput,
  context: AppointmentsContext,
): Promise<CancelOutcome> {
  // Who may cancel depends on the appointment, so the work checks it (mayChange).
  const outcome = await mutation<Tx, CancelOutcome>(
    {
      db: context.db,
      identity: context.identity,
      signIn: 'Sign in to cancel an appointment.',
      ids: [['appointmentId', input.appointmentId]],
      key: input.idempotencyKey,
      operation: 'cancelAppointment',
      input: () => ({ appointmentId: input.appointmentId }),
    },
    async (tx, { identity }) => {
      const cancelled = await cancelAndRelease(
        tx,
        input.appointmentId,
        (found) => mayChange(identity, found),
        actorOf(identity),
      );
      if (cancelled === 'not-found') return notFound(input.appointmentId);
      if (cancelled === 'not-cancellable') {
        return invalid('appointmentId', 'Only a future booking or hold can be cancelled.');
      }
      return { __typename: 'AppointmentCancelled', appointment: cancelled };
    },
  );
  if (outcome.__typename === 'AppointmentCancelled') context.outbox.poke();
  return outcome;
}

/**
 * The one cancel path, in the caller's transaction: cancels the appointment if `mayCancel` admits it and it
 * is a future booking or hold, gives its slot back, and writes `appointment.cancelled` and `slot.changed`
 * (the live subscription's announcement). Used by cancelAppointment and by a patient's reminder answer
 * (reminders/apply-reminder-answers.ts). The caller pokes the outbox relay after commit.
 */
export async function cancelAndRelease(
  tx: Tx,
  appointmentId: string,
  mayCancel: (appointment: Appointment) => boolean,
  actor: EventActor,
): Promise<Appointment | 'not-found' | 'not-cancellable'> {
  const cancelled = await cancelOnItsSlot(tx, appointmentId, mayCancel);
  if (typeof cancelled === 'string') return cancelled;
  const slot = await releaseSlot(tx, cancelled.slotId);
  await enqueueEvents(tx, 'appointments', [
    appointmentEvent('appointment.cancelled', cancelled, actor),
    ...(slot ? [slotChangedEvent(slot, actor)] : []),
  ]);
  return cancelled;
}

/**
 * Cancels the appointment with its slot locked first (the database's lock order). A re-assignment may
 * move it between the read and the lock; then the lock is taken again on the slot it moved to.
 */
async function cancelOnItsSlot(
  tx: Tx,
  appointmentId: string,
  mayCancel: (appointment: Appointment) => boolean,
): Promise<Appointment | 'not-found' | 'not-cancellable'> {
  for (;;) {
    const current = await tx.appointment.findUnique({ where: { id: appointmentId } });
    if (!current || !mayCancel(current)) return 'not-found';
    await lockSlots(tx, [current.slotId]);
    const [row] = await tx.appointment.updateManyAndReturn({
      where: {
        id: current.id,
        slotId: current.slotId,
        status: { in: ['pending', 'booked'] },
        start: { gt: new Date() },
      },
      data: {
        status: 'cancelled',
        holdExpiresAt: null,
        needsAttentionSince: null,
        displacedSince: null,
        displacedBy: null,
      },
    });
    if (row) return row;
    const now = await tx.appointment.findUnique({ where: { id: appointmentId } });
    if (!now || now.slotId === current.slotId) return 'not-cancellable';
  }
}
