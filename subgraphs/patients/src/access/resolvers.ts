import type { Resolvers } from '../generated/graphql';
import { createClinicAccessCode, redeemClinicAccessCode, revokeClinicAccess } from './access-codes';

/** How a patient grants and ends a clinic's access to them (docs/policy.md). */
export const accessResolvers: Resolvers = {
  Mutation: {
    createClinicAccessCode: (_root, _args, context) => createClinicAccessCode(context),
    redeemClinicAccessCode: (_root, { code }, context) => redeemClinicAccessCode(code, context),
    revokeClinicAccess: (_root, { clinicId }, context) => revokeClinicAccess(clinicId, context),
  },
};
