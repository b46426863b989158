import { randomUUID } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { enqueueEvents, mutation } from '@clinic/platform';
import { mayChange, mayUseSlot, patientActedFor, staffMayActFor } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { Appointment, Prisma } from '../generated/prisma/client';
import type { BookAppointmentInput } from '../generated/graphql';
import { claimSlot, isBookingConflict, lockSlots, placementOn } from './claim-slot';
import { actorOf, appointmentEvent, slotChangedEvent } from './events';
import {
  checkReason,
  invalid,
  notAllowed,
  notFound,
  slotUnavailable,
  telehealthRefused,
  type Refusal,
} from './outcomes';

export type BookingOutcome = { __typename: 'AppointmentBooked'; appointment: Appointment } | Refusal;

type Tx = Prisma.TransactionClient;

/**
 * Books a free slot, or confirms a hold, for a patient. The slot is claimed with a conditional update
 * inside the transaction that writes the appointment and its events to the outbox; a partial unique
 * index and the exclusion constraints back the claim up, so two concurrent bookings of one slot (or two
 * overlapping bookings for one patient) cannot both succeed, and a booking is never without its event.
 * The idempotency key is claimed first in the same transaction (runIdempotent): a repeat, concurrent or
 * later, answers the first outcome.
 */
export async function bookAppointment(
  input: BookAppointmentInput,
  context: AppointmentsContext,
): Promise<BookingOutcome> {
  const { holdId, slotId } = input;
  const telehealth = input.telehealth ?? false;
  // Exactly one of the two, before either is checked as an id.
  const notOneOf =
    (slotId == null) === (holdId == null)
      ? invalid('slotId', 'Give either a free slotId or the holdId of your hold, not both.')
      : null;
  const outcome = await mutation<Tx, BookingOutcome, { reason: string | null; clientId?: string }>(
    {
      db: context.db,
      identity: context.identity,
      signIn: 'Sign in to book an appointment.',
      ids: notOneOf
        ? []
        : [
            ['slotId', slotId],
            ['holdId', holdId],
          ],
      // A hold names its patient already; a free slot is booked for the patient the caller acts for.
      permission: (identity) => {
        if (notOneOf) return notOneOf;
        const reason = checkReason(input.reasonForVisit);
        if ('__typename' in reason) return reason;
        if (holdId != null) return { reason: reason.reason };
        const patient = patientActedFor(identity, input.clientId ?? null);
        return '__typename' in patient ? patient : { reason: reason.reason, clientId: patient.clientId };
      },
      key: input.idempotencyKey,
      operation: 'bookAppointment',
      // In person leaves the fingerprint as it was before telehealth existed, so those keys still match.
      input: ({ subject: { reason, clientId } }) => ({
        slotId,
        holdId,
        clientId,
        reasonForVisit: reason,
        telehealth: telehealth || undefined,
      }),
      options: {
        outcomeOfError: (error) =>
          isBookingConflict(error)
            ? slotUnavailable(slotId ?? '', 'This time is taken or overlaps another of your appointments.')
            : null,
      },
    },
    (tx, { identity, subject: { reason, clientId } }) =>
      holdId != null
        ? confirmHold(tx, holdId, reason, telehealth, identity)
        : bookFreeSlot(tx, slotId as string, reason, telehealth, clientId as string, identity),
  );
  if (outcome.__typename === 'AppointmentBooked') context.outbox.poke();
  return outcome;
}

export async function bookFreeSlot(
  tx: Tx,
  slotId: string,
  reasonForVisit: string | null,
  telehealth: boolean,
  clientId: string,
  identity: Identity,
): Promise<BookingOutcome> {
  // Staff book only for patients who linked themselves to the clinic; an unknown client is never linked.
  const refused = identity.role === 'Patient' ? null : await staffMayActFor(tx, identity, clientId);
  if (refused) return refused;
  const slot = await tx.slot.findUnique({ where: { id: slotId } });
  if (!slot) return invalid('slotId', 'There is no slot with this id.');
  if (!mayUseSlot(identity, slot)) {
    return notAllowed('Clinic administrators book only at their own clinic.');
  }
  const unfit = telehealthRefused(slot, telehealth);
  if (unfit) return unfit;
  const claimed = await claimSlot(tx, slot, 'busy', clientId);
  if (!claimed) return slotUnavailable(slot.id);
  const appointment = await tx.appointment.create({
    data: {
      id: randomUUID(),
      ...placementOn(claimed),
      clientId,
      status: 'booked',
      reasonForVisit,
      telehealth,
    },
  });
  await enqueueEvents(tx, 'appointments', [
    appointmentEvent('appointment.booked', appointment, actorOf(identity)),
    slotChangedEvent(claimed, actorOf(identity)),
  ]);
  return { __typename: 'AppointmentBooked', appointment };
}

export async function confirmHold(
  tx: Tx,
  holdId: string,
  reasonForVisit: string | null,
  telehealth: boolean,
  identity: Identity,
): Promise<BookingOutcome> {
  const hold = await tx.appointment.findUnique({ where: { id: holdId } });
  if (!hold || !mayChange(identity, hold)) return notFound(holdId);
  // Staff confirm only the holds of patients linked to their clinic, as they book only for them.
  const refused = identity.role === 'Patient' ? null : await staffMayActFor(tx, identity, hold.clientId);
  if (refused) return refused;
  // The hold made the choice (and checked the doctor offers it); confirming keeps it.
  if (telehealth && !hold.telehealth) {
    return invalid('telehealth', 'This hold is for a visit in person. Hold the slot for telehealth instead.');
  }
  await lockSlots(tx, [hold.slotId]);
  // A hold on a slot that has started since is spent: it confirms nothing, like a booking of the slot.
  const now = new Date();
  const [booked] = await tx.appointment.updateManyAndReturn({
    where: { id: holdId, status: 'pending', holdExpiresAt: { gt: now }, start: { gt: now } },
    data: { status: 'booked', holdExpiresAt: null, reasonForVisit },
  });
  if (!booked) {
    return {
      __typename: 'HoldExpired',
      holdId,
      message: 'This hold has expired or was released. Hold the slot again if it is still free.',
    };
  }
  const [slot] = await tx.slot.updateManyAndReturn({
    where: { id: booked.slotId, status: 'busy_tentative' },
    data: { status: 'busy' },
  });
  await enqueueEvents(tx, 'appointments', [
    appointmentEvent('appointment.booked', booked, actorOf(identity)),
    ...(slot ? [slotChangedEvent(slot, actorOf(identity))] : []),
  ]);
  return { __typename: 'AppointmentBooked', appointment: booked };
}
