import { enqueueEvents, mutation } from '@clinic/platform';
import { mayChange, mayUseSlot } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { Appointment, Prisma } from '../generated/prisma/client';
import type { RescheduleAppointmentInput } from '../generated/graphql';
import {
  claimSlot,
  isBookingConflict,
  lockSlots,
  ownLapsedHoldSlots,
  placementOn,
  releaseSlot,
} from './claim-slot';
import { actorOf, rescheduledEvent, slotChangedEvent } from './events';
import {
  invalid,
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

type Tx = Prisma.TransactionClient;

/**
 * Moves a booking to another free slot atomically: the new slot is claimed, the appointment moved and
 * the old slot released in one transaction, so the old time is given up only if the new one is booked.
 * The exclusion constraints refuse a move that would overlap another of the patient's appointments. A
 * repeat of the key answers the first outcome (runIdempotent).
 */
export async function rescheduleAppointment(
  input: RescheduleAppointmentInput,
  context: AppointmentsContext,
): Promise<RescheduleOutcome> {
  // Who may move it depends on the appointment and the slot, so the work checks them.
  const outcome = await mutation<Tx, RescheduleOutcome>(
    {
      db: context.db,
      identity: context.identity,
      signIn: 'Sign in to reschedule an appointment.',
      ids: [
        ['appointmentId', input.appointmentId],
        ['slotId', input.slotId],
      ],
      key: input.idempotencyKey,
      operation: 'rescheduleAppointment',
      input: () => ({ appointmentId: input.appointmentId, slotId: input.slotId }),
      options: {
        outcomeOfError: (error) => {
          if (error instanceof ConcurrentChange) {
            return invalid(
              'appointmentId',
              'The appointment was changed meanwhile. Reload it and try again.',
            );
          }
          return isBookingConflict(error)
            ? slotUnavailable(input.slotId, 'This time is taken or overlaps another of your appointments.')
            : null;
        },
      },
    },
    async (tx, { identity }) => {
      const current = await tx.appointment.findUnique({ where: { id: input.appointmentId } });
      if (!current || !mayChange(identity, current)) return notFound(input.appointmentId);
      if (current.status !== 'booked' || current.start <= new Date()) {
        return invalid('appointmentId', 'Only a future booking can be rescheduled.');
      }
      if (current.slotId === input.slotId) {
        return invalid('slotId', 'The appointment is already at this slot.');
      }
      const target = await tx.slot.findUnique({ where: { id: input.slotId } });
      if (!target) return invalid('slotId', 'There is no slot with this id.');
      if (!mayUseSlot(identity, target)) {
        return notAllowed('Clinic administrators reschedule only within their own clinic.');
      }
      if (current.telehealth && !target.telehealth) {
        return invalid(
          'slotId',
          'This is a telehealth appointment and this doctor does not offer telehealth.',
        );
      }
      // Both slots (and those of the patient's own lapsed holds at the new time, which the claim releases)
      // before the appointment, in id order: the database's one lock order.
      const lapsed = await ownLapsedHoldSlots(tx, current.clientId, target);
      await lockSlots(tx, [current.slotId, target.id, ...lapsed]);
      const claimed = await claimSlot(tx, target, 'busy', current.clientId, lapsed);
      if (!claimed) return slotUnavailable(target.id);
      const [moved] = await tx.appointment.updateManyAndReturn({
        where: { id: current.id, status: 'booked', slotId: current.slotId },
        // Moved by its patient: no longer waiting for a doctor, nor to be re-assigned.
        data: {
          ...placementOn(claimed),
          needsAttentionSince: null,
          displacedSince: null,
          displacedBy: null,
          // A confirmation was of the old time (docs/reminders.md).
          confirmedAt: null,
        },
      });
      // Someone else moved or cancelled it meanwhile: undo the claim (runIdempotent's savepoint).
      if (!moved) throw new ConcurrentChange();
      const released = await releaseSlot(tx, current.slotId);
      await enqueueEvents(tx, 'appointments', [
        rescheduledEvent(moved, current, actorOf(identity)),
        slotChangedEvent(claimed, actorOf(identity)),
        ...(released ? [slotChangedEvent(released, actorOf(identity))] : []),
      ]);
      return { __typename: 'AppointmentRescheduled', appointment: moved, previousSlotId: current.slotId };
    },
  );
  if (outcome.__typename === 'AppointmentRescheduled') context.outbox.poke();
  return outcome;
}

class ConcurrentChange extends Error {}
