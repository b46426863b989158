import type { Resolvers } from '../generated/graphql';
import { bookAppointment } from './book-appointment';
import { cancelAppointment } from './cancel-appointment';
import { countBooking } from './count-booking';
import { holdSlot } from './hold-slot';
import { rescheduleAppointment } from './reschedule-appointment';

export const bookingResolvers: Resolvers = {
  Mutation: {
    bookAppointment: (_root, { input }, context) =>
      countBooking('bookAppointment', bookAppointment(input, context)),
    holdSlot: (_root, { input }, context) => countBooking('holdSlot', holdSlot(input, context)),
    cancelAppointment: (_root, { input }, context) =>
      countBooking('cancelAppointment', cancelAppointment(input, context)),
    rescheduleAppointment: (_root, { input }, context) =>
      countBooking('rescheduleAppointment', rescheduleAppointment(input, context)),
  },
};
