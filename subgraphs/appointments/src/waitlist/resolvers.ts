import type { Resolvers } from '../generated/graphql';
import { countBooking } from '../booking/count-booking';
import { claimWaitlistOffer } from './claim-waitlist-offer';
import { joinWaitlist } from './join-waitlist';
import { myWaitlistOffers } from './list-offers';
import { leaveWaitlist } from './leave-waitlist';
import { fromDateColumn, timeOfDay } from './limits';
import { clinicWaitlist, myWaitlist } from './list-waitlist';
import { setWaitlistMode } from './set-waitlist-mode';
import { waitlistSettingOf } from './settings';
import { visibleWaitlist } from '../access/access';
import { appError } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';

export const waitlistResolvers: Resolvers = {
  Query: {
    myWaitlist: (_root, _args, context) => myWaitlist(context),
    myWaitlistOffers: (_root, _args, context) => myWaitlistOffers(context),
    clinicWaitlist: (_root, { clinicId, first }, context) => clinicWaitlist(context, clinicId, first),
    waitlistSettings: async (_root, { clinicId }, { db, identity }) => {
      if (clinicId != null && !isUuid(clinicId))
        throw appError('BAD_USER_INPUT', 'clinicId is not a valid id.');
      if (identity?.role === 'Patient') throw appError('FORBIDDEN', 'This setting is for clinic staff.');
      // The same reach as the clinic's line: its staff, or a system administrator naming it.
      const scope = visibleWaitlist(identity, clinicId);
      const clinic = scope.clinicId as string;
      return { clinicId: clinic, ...(await waitlistSettingOf(db, clinic)) };
    },
  },
  Mutation: {
    joinWaitlist: (_root, { input }, context) => joinWaitlist(input, context),
    leaveWaitlist: (_root, { input }, context) => leaveWaitlist(input, context),
    setWaitlistMode: (_root, { input }, context) => setWaitlistMode(input, context),
    // A claim is a booking: counted with them (clinic_bookings_total).
    claimWaitlistOffer: (_root, { input }, context) =>
      countBooking('claimWaitlistOffer', claimWaitlistOffer(input, context)),
  },
  WaitlistOffer: {
    slot: async (offer, _args, { loaders }) => {
      const slot = await loaders.slot.load(offer.slotId);
      if (!slot) throw new Error('an offer names a slot that does not exist');
      return slot;
    },
    // A lapsed open offer reads as expired: it can no longer be claimed.
    status: (offer) => (offer.status === 'open' && offer.expiresAt <= new Date() ? 'expired' : offer.status),
  },
  WaitlistEntry: {
    fromDate: (entry) => fromDateColumn(entry.fromDate),
    toDate: (entry) => fromDateColumn(entry.toDate),
    earliestStart: (entry) => timeOfDay(entry.earliestStartMinute),
    latestStart: (entry) => timeOfDay(entry.latestStartMinute),
  },
};
