import type { Resolvers } from '../generated/graphql';
import { erasePatient } from './erase-patient';
import { findPatient } from './find-patient';
import { registerPatient } from './register-patient';

export const vaultResolvers: Resolvers = {
  Query: {
    findPatient: (_root, args, context) => findPatient(args, context),
  },
  Mutation: {
    registerPatient: (_root, { input }, context) => registerPatient(input, context),
    erasePatient: (_root, { clientId, idempotencyKey }, context) =>
      erasePatient(clientId, idempotencyKey, context),
  },
};
