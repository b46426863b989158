import { randomUUID } from 'node:crypto';
import { appError, type Role } from '@clinic/platform';
import type { PatientsContext } from '../context';
import type { VaultDatabase } from '../database';
import type { RegisterPatientInput } from '../generated/graphql';
import type { Patient } from '../generated/prisma-patients/client';
import { Prisma } from '../generated/prisma-vault/client';
import type { VaultKeys } from './keys/vault-keys';
import { linkClinics } from '../access/clinic-links';
import { sealPatient } from './patient-record';
import { isInvalidField, validatePatientDetails, type PatientDetails } from './validation';

export type RegisterOutcome =
  | { __typename: 'PatientRegistered'; patient: Patient }
  | { __typename: 'InvalidPatientInput'; field: string; message: string }
  | { __typename: 'PatientActionNotAllowed'; message: string };

/** Staff who register patients at the front desk or for the practice. */
export const REGISTERING_ROLES: readonly Role[] = ['ClinicAdmin', 'PracticeManager', 'SystemAdministrator'];

const invalid = (field: string, message: string): RegisterOutcome => ({
  __typename: 'InvalidPatientInput',
  field,
  message,
});

export class ContactAlreadyRegisteredError extends Error {
  constructor(readonly field: 'email' | 'phone') {
    super(`this ${field} is already registered`);
    this.name = 'ContactAlreadyRegisteredError';
  }
}

/**
 * Seals and stores patients' details in one vault transaction: a data key each (wrapped by the master
 * key), every field encrypted, blind indexes for email and phone. The seed uses it for its mock patients.
 */
export async function storePatientDetails(
  vault: VaultDatabase,
  keys: VaultKeys,
  patients: readonly { clientId: string; details: PatientDetails }[],
): Promise<void> {
  if (patients.length === 0) return;
  const rows = await Promise.all(
    patients.map(({ clientId, details }) => sealPatient(keys, clientId, details)),
  );
  try {
    await vault.$transaction([
      vault.dataKey.createMany({ data: rows.map((row) => row.dataKey) }),
      vault.patientPii.createMany({ data: rows.map((row) => row.pii) }),
    ]);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const target = JSON.stringify(error.meta ?? {});
      if (target.includes('email')) throw new ContactAlreadyRegisteredError('email');
      if (target.includes('phone')) throw new ContactAlreadyRegisteredError('phone');
    }
    throw error;
  }
}

/**
 * Registers a patient: the pseudonymous row in `patients` and the sealed details in the vault. The two
 * databases share no transaction, so the vault is written first and removed again if the patient row
 * fails: a failure leaves neither half behind.
 */
export async function registerPatient(
  input: RegisterPatientInput,
  context: PatientsContext,
): Promise<RegisterOutcome> {
  const { identity, vault, vaultKeys, db } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to register a patient.');
  if (!REGISTERING_ROLES.includes(identity.role)) {
    return { __typename: 'PatientActionNotAllowed', message: `A ${identity.role} cannot register patients.` };
  }
  const details = validatePatientDetails(input);
  if (isInvalidField(details)) return invalid(details.field, details.message);

  const clientId = randomUUID();
  try {
    await storePatientDetails(vault, vaultKeys, [{ clientId, details }]);
  } catch (error) {
    if (error instanceof ContactAlreadyRegisteredError) {
      // Links nothing and names nobody: an existing patient gives this clinic a code from their app.
      return invalid(
        error.field,
        `This ${error.field} is already registered. An existing patient can give your reception a clinic access code from their app.`,
      );
    }
    throw error;
  }
  try {
    // A new patient registered at a clinic's desk is that clinic's (docs/policy.md): the link and its
    // event commit with the patient row.
    const clinicId = identity.role === 'SystemAdministrator' ? undefined : identity.clinicId;
    const patient = await db.$transaction(async (tx) => {
      const created = await tx.patient.create({
        data: { clientId, preferredChannel: input.preferredChannel ?? 'sms' },
      });
      if (clinicId)
        await linkClinics(tx, [{ clientId, clinicId }], 'registration', {
          role: identity.role,
          subject: identity.subject,
        });
      return created;
    });
    if (clinicId) context.linksOutbox?.poke();
    return { __typename: 'PatientRegistered', patient };
  } catch (error) {
    await vault.$transaction([
      vault.patientPii.deleteMany({ where: { clientId } }),
      vault.dataKey.deleteMany({ where: { clientId } }),
    ]);
    throw error;
  }
}
