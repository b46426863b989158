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
 * How the patients service runs a mutation once (the platform's `mutation`, records in the patients
 * database): every request fingerprinted with an HMAC under the vault's index key, as registrations carry
 * personal details and redemptions a code.
 */
export function patientsIdempotency<O extends Outcome>(
  context: PatientsContext,
): IdempotentOptions<PatientsTransaction, O> {
  const { blindIndex } = context.vaultKeys;
  return { digest: (request) => blindIndex.idempotentRequest(request) };
}
