import { appError } from '@clinic/platform';
import type { Resolvers } from '../generated/graphql';

/** Personal details leave the vault only for the patient themself (the full policy comes with issue 5). */
export const profileResolvers: Resolvers = {
  Patient: {
    profile: async (patient, _args, { identity, loaders }) => {
      if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see personal details.');
      if (identity.role !== 'Patient' || identity.subject !== patient.clientId) {
        throw appError('FORBIDDEN', 'Personal details are visible only to the patient.');
      }
      // Decrypted for this request only; null once the patient has been erased.
      return loaders.pii.load(patient.clientId);
    },
  },
};
