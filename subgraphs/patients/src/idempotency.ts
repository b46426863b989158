import type { Identity } from '@clinic/contracts';
import type { IdempotentOptions, Outcome } from '@clinic/platform';
import type { PatientsContext } from './context';
import type { Prisma } from './generated/prisma-patients/client';

export type PatientsTransaction = Prisma.TransactionClient;

/** Who calls, as runIdempotent keys its records: the same (role, clinic, subject) string. */
export function callerOf(identity: Identity): string {
  return [identity.role, identity.clinicId ?? '', identity.subject].join(':');
}

/**
 * How every patients mutation starts, for the platform's `mutation`: the caller (`signIn` tells one
 * without a token what to do), records in the patients database, every request fingerprinted with an
 * HMAC under the vault's index key, as registrations carry personal details and redemptions a code.
 */
export function patientsMutation(
  context: PatientsContext,
  signIn: string,
): {
  db: PatientsContext['db'];
  identity: PatientsContext['identity'];
  signIn: string;
  options: Pick<IdempotentOptions<PatientsTransaction, Outcome>, 'digest'>;
} {
  const { blindIndex } = context.vaultKeys;
  return {
    db: context.db,
    identity: context.identity,
    signIn,
    options: { digest: (request) => blindIndex.idempotentRequest(request) },
  };
}
