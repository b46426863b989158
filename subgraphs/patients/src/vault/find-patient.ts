import { appError, STAFF_ROLES } from '@clinic/contracts';
import { findsPatient } from '../access/access';
import type { PatientsContext } from '../context';
import type { Patient } from '../generated/prisma-patients/client';
import type { QueryFindPatientArgs } from '../generated/graphql';
import { normaliseAustralianPhone, normaliseEmail } from './validation';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Finds a patient by exact email or phone through the blind index: the vault compares HMACs, never
 * decrypts a row, and the caller learns only the clientId. Staff only; clinic staff find only patients
 * linked to their clinic, and anyone else is null, exactly as no match (docs/policy.md), so a lookup
 * reveals neither the clientId nor that the patient exists.
 */
export async function findPatient(
  args: QueryFindPatientArgs,
  context: PatientsContext,
): Promise<Patient | null> {
  const { identity, vault, vaultKeys, loaders } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to look patients up.');
  if (!STAFF_ROLES.includes(identity.role))
    throw appError('FORBIDDEN', 'Only clinic staff look patients up.');
  const email = args.email ?? null;
  const phone = args.phone ?? null;
  if ((email === null) === (phone === null)) {
    throw appError('BAD_USER_INPUT', 'Give exactly one of email or phone.');
  }
  let where: { emailIndex: Uint8Array<ArrayBuffer> } | { phoneIndex: Uint8Array<ArrayBuffer> };
  if (email !== null) {
    const normalised = normaliseEmail(email);
    if (!normalised) throw appError('BAD_USER_INPUT', 'This is not an email address.', { field: 'email' });
    where = { emailIndex: new Uint8Array(vaultKeys.blindIndex.email(normalised)) };
  } else {
    const normalised = normaliseAustralianPhone(phone ?? '');
    if (!normalised) {
      throw appError('BAD_USER_INPUT', 'This is not an Australian phone number.', { field: 'phone' });
    }
    where = { phoneIndex: new Uint8Array(vaultKeys.blindIndex.phone(normalised)) };
  }
  const match = await vault.patientPii.findFirst({ where, select: { clientId: true } });
  // The link is looked up even without a match (for the nil id, never linked), so "nobody" and "not
  // yours" cost the same queries and cannot be told apart by timing either.
  const reaches = await findsPatient(context, match?.clientId ?? NIL_UUID);
  return match && reaches ? loaders.patient.load(match.clientId) : null;
}
