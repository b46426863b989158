import { mutation } from '@clinic/platform';
import { waitlistPatient } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { Prisma, WaitlistOffer } from '../generated/prisma/client';
import type { ClaimWaitlistOfferInput } from '../generated/graphql';
import { bookFreeSlot, confirmHold, type BookingOutcome } from '../booking/book-appointment';
import { isBookingConflict } from '../booking/claim-slot';
import {
  slotUnavailable,
  type InvalidInput,
  type NotAllowed,
  type SlotUnavailable,
} from '../booking/outcomes';

export type OfferExpired = { __typename: 'OfferExpired'; offerId: string; message: string };
export type WaitlistOfferNotFound = { __typename: 'WaitlistOfferNotFound'; offerId: string; message: string };
export type ClaimOutcome =
  | Extract<BookingOutcome, { __typename: 'AppointmentBooked' }>
  | SlotUnavailable
  | OfferExpired
  | WaitlistOfferNotFound
  | NotAllowed
  | InvalidInput;

type Tx = Prisma.TransactionClient;

export const offerExpired = (offerId: string): OfferExpired => ({
  __typename: 'OfferExpired',
  offerId,
  message: 'This offer has lapsed or was passed on. You stay on the waitlist for the next time.',
});

/** One answer for an offer that is not there and one that is another patient's: none tells which. */
export const offerNotFound = (offerId: string): WaitlistOfferNotFound => ({
  __typename: 'WaitlistOfferNotFound',
  offerId,
  message: 'There is no waitlist offer with this id that you can claim.',
});

const TAKEN = 'Someone else claimed or booked this time first. You stay on the waitlist for the next time.';

/**
 * A patient claims one of their offers, booking its time through bookAppointment's own path: a broadcast
 * offer books the free slot (bookFreeSlot: the conditional claim, the unique index and the exclusion
 * constraints decide a race, so of many claims of one slot exactly one books), a sequential offer confirms
 * the hold it was made with (confirmHold). Taken first by anyone: SlotUnavailable. Lapsed or passed on:
 * OfferExpired. Another patient's offer reads as none. The claim marks the offer claimed, the entry
 * fulfilled and the slot's other open offers taken (so their entries may be offered the next time), in
 * the booking's transaction; a repeat of the key answers the first outcome (runIdempotent).
 */
export async function claimWaitlistOffer(
  input: ClaimWaitlistOfferInput,
  context: AppointmentsContext,
): Promise<ClaimOutcome> {
  // Set by the work before it books, so a constraint's refusal can name the slot.
  let slotId = '';
  const outcome = await mutation<Tx, ClaimOutcome, { clientId: string }>(
    {
      db: context.db,
      identity: context.identity,
      signIn: 'Sign in to claim an offer.',
      ids: [['offerId', input.offerId]],
      permission: waitlistPatient,
      key: input.idempotencyKey,
      operation: 'claimWaitlistOffer',
      input: () => ({ offerId: input.offerId }),
      options: {
        outcomeOfError: (error) => (isBookingConflict(error) ? slotUnavailable(slotId, TAKEN) : null),
      },
    },
    async (tx, { identity, subject: { clientId } }) => {
      const offer = await tx.waitlistOffer.findUnique({ where: { id: input.offerId } });
      if (!offer || offer.clientId !== clientId) return offerNotFound(input.offerId);
      slotId = offer.slotId;
      if (offer.status === 'claimed' || offer.status === 'taken') return slotUnavailable(offer.slotId, TAKEN);
      if (offer.status === 'expired' || offer.expiresAt <= new Date()) return offerExpired(offer.id);
      const booked =
        offer.holdId !== null
          ? await confirmHold(tx, offer.holdId, null, false, identity)
          : await bookFreeSlot(tx, offer.slotId, null, false, clientId, identity);
      if (booked.__typename === 'HoldExpired' || booked.__typename === 'AppointmentNotFound') {
        return offerExpired(offer.id);
      }
      if (booked.__typename === 'SlotUnavailable') return slotUnavailable(offer.slotId, TAKEN);
      if (booked.__typename !== 'AppointmentBooked') return booked;
      await settleClaimed(tx, offer, booked.appointment.id);
      return booked;
    },
  );
  if (outcome.__typename === 'AppointmentBooked') context.outbox.poke();
  return outcome;
}

/** The offer is spent, its entry fulfilled, and nobody else holds a live offer of a time now booked. */
async function settleClaimed(tx: Tx, offer: WaitlistOffer, appointmentId: string): Promise<void> {
  await tx.waitlistOffer.update({ where: { id: offer.id }, data: { status: 'claimed', appointmentId } });
  await tx.waitlistOffer.updateMany({
    where: { slotId: offer.slotId, status: 'open', id: { not: offer.id } },
    data: { status: 'taken' },
  });
  await tx.waitlistEntry.updateMany({
    where: { id: offer.entryId, status: 'active' },
    data: { status: 'fulfilled' },
  });
}
