import type { Resolvers } from '../generated/graphql';
import { bookAppointment } from './book-appointment';

export const bookingResolvers: Resolvers = {
  Mutation: {
    bookAppointment: (_root, { input }, context) => bookAppointment(input, context),
  },
};
