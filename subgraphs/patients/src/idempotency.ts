import type { Identity, InvalidInput } from '@clinic/contracts';
import { runIdempotent, type Outcome, type TransactionOptions } from '@clinic/platform';
import type { PatientsContext } from './context';
import type { Prisma } from './generated/prisma-patients/client';

export type PatientsTransaction = Prisma.TransactionClient;

export type InvalidPatientInput = { __typename: 'InvalidPatientInput'; field: string; message: string };

/** Who calls, as runIdempotent keys its records: the same (role, clinic, subject) string. */
export function callerOf(identity: Identity): string {
  return [identity.role, identity.clinicId ?? '', identity.subject].join(':');
}

/**
 * runIdempotent for the patients service: records in the patients database, every request fingerprinted
 * with an HMAC under the vault's index key (registrations carry personal details, redemptions a code),
 * and the platform's InvalidInput (a malformed or reused key) answered as this schema's InvalidPatientInput.
 */
export async function runPatientsIdempotent<O extends Outcome>(
  context: PatientsContext,
  call: { caller: Identity; key: string; operation: string; input: unknown },
  work: (tx: PatientsTransaction) => Promise<O>,
  options: TransactionOptions = {},
): Promise<O | InvalidPatientInput> {
  const { blindIndex } = context.vaultKeys;
  const outcome = await runIdempotent<PatientsTransaction, O>(context.db, call, work, {
    ...options,
    digest: (request) => blindIndex.idempotentRequest(request),
  });
  // The work answers this schema's types only, so an InvalidInput is the mechanism's own.
  if (!isInvalidInput(outcome)) return outcome;
  return { __typename: 'InvalidPatientInput', field: outcome.field, message: outcome.message };
}

function isInvalidInput(outcome: Outcome): outcome is InvalidInput {
  return outcome.__typename === 'InvalidInput';
}
