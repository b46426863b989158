import type { Resolvers } from '../generated/graphql';
import { joinWaitlist } from './join-waitlist';
import { leaveWaitlist } from './leave-waitlist';
import { fromDateColumn, timeOfDay } from './limits';
import { clinicWaitlist, myWaitlist } from './list-waitlist';

export const waitlistResolvers: Resolvers = {
  Query: {
    myWaitlist: (_root, _args, context) => myWaitlist(context),
    clinicWaitlist: (_root, { clinicId, first }, context) => clinicWaitlist(context, clinicId, first),
  },
  Mutation: {
    joinWaitlist: (_root, { input }, context) => joinWaitlist(input, context),
    leaveWaitlist: (_root, { input }, context) => leaveWaitlist(input, context),
  },
  WaitlistEntry: {
    fromDate: (entry) => fromDateColumn(entry.fromDate),
    toDate: (entry) => fromDateColumn(entry.toDate),
    earliestStart: (entry) => timeOfDay(entry.earliestStartMinute),
    latestStart: (entry) => timeOfDay(entry.latestStartMinute),
  },
};
