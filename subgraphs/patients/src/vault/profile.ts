import { openProfile } from '../access/access';
import type { Resolvers } from '../generated/graphql';

/** Personal details leave the vault only for the patient and their clinics' admins (docs/policy.md). */
export const profileResolvers: Resolvers = {
  Patient: {
    profile: async (patient, _args, context) => {
      // The patient or their clinic's admins (policy table), and the read is audited first.
      await openProfile(context, patient.clientId);
      // Decrypted for this request only; null once the patient has been erased.
      return context.loaders.pii.load(patient.clientId);
    },
  },
};
