import type { Resolvers } from '../generated/graphql';
import { joinWaitlist } from './join-waitlist';
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
  },
  WaitlistEntry: {
    fromDate: (entry) => fromDateColumn(entry.fromDate),
    toDate: (entry) => fromDateColumn(entry.toDate),
    earliestStart: (entry) => timeOfDay(entry.earliestStartMinute),
    latestStart: (entry) => timeOfDay(entry.latestStartMinute),
  },
};
