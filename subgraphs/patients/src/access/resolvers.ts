import type { Resolvers } from '../generated/graphql';
import { createClinicAccessCode, redeemClinicAccessCode, revokeClinicAccess } from './access-codes';

/** How a patient grants and ends a clinic's access to them (docs/policy.md). */
export const accessResolvers: Resolvers = {
  Mutation: {
    createClinicAccessCode: (_root, { idempotencyKey }, context) =>
      createClinicAccessCode(idempotencyKey, context),
    redeemClinicAccessCode: (_root, { code, idempotencyKey }, context) =>
      redeemClinicAccessCode(code, idempotencyKey, context),
    revokeClinicAccess: (_root, { clinicId, idempotencyKey }, context) =>
      revokeClinicAccess(clinicId, idempotencyKey, context),
  },
};
