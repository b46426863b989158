import type { Resolvers } from '../generated/graphql';
import { bookAppointment } from './book-appointment';
import { cancelAppointment } from './cancel-appointment';
import { holdSlot } from './hold-slot';
import { rescheduleAppointment } from './reschedule-appointment';

export const bookingResolvers: Resolvers = {
  Mutation: {
    bookAppointment: (_root, { input }, context) => bookAppointment(input, context),
    holdSlot: (_root, { input }, context) => holdSlot(input, context),
    cancelAppointment: (_root, { input }, context) => cancelAppointment(input, context),
    rescheduleAppointment: (_root, { input }, context) => rescheduleAppointment(input, context),
  },
};
