import { randomUUID } from 'node:crypto';
import {
  type Identity,
  type Role,
  invalid,
  notAllowed,
  type InvalidInput,
  type NotAllowed,
} from '@clinic/contracts';
import { mutation } from '@clinic/platform';
import type { PatientsContext } from '../context';
import type { VaultDatabase } from '../database';
import type { RegisterPatientInput } from '../generated/graphql';
import type { Patient } from '../generated/prisma-patients/client';
import { Prisma } from '../generated/prisma-vault/client';
import type { VaultKeys } from './keys/vault-keys';
import { clinicGuessesSpent, countClinicGuess } from '../access/access-codes';
import { linkClinics } from '../access/clinic-links';
import { callerOf, patientsMutation, type PatientsTransaction } from '../idempotency';
import { sealPatient } from './patient-record';
import { isInvalidField, validatePatientDetails, type PatientDetails } from './validation';

export type RegisterOutcome =
  { __typename: 'PatientRegistered'; patient: Patient } | InvalidInput | NotAllowed;

/** Staff who register patients at the front desk or for the practice. */
export const REGISTERING_ROLES: readonly Role[] = ['ClinicAdmin', 'PracticeManager', 'SystemAdministrator'];

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
 * Registers a patient: the pseudonymous row in `patients` and the sealed details in the vault, once per
 * idempotency key. The two databases share no transaction, so the key is claimed in the patients
 * transaction before the vault is written, and that transaction stays open (holding the claim) until the
 * patient row and the recorded outcome commit: a concurrent duplicate waits on the claim and then answers
 * the same PatientRegistered, never "already registered". The vault rows carry a clientId derived from
 * (caller, key) under the index key, so whoever holds the claim next (a retry after a crash between the
 * vault write and the commit, which left vault rows without a patient) recognises them as its own and
 * starts over cleanly. A failure inside removes the vault rows again: neither half is left behind.
 */
export async function registerPatient(
  input: RegisterPatientInput,
  context: PatientsContext,
): Promise<RegisterOutcome> {
  const { vault, vaultKeys } = context;
  const { idempotencyKey, ...registration } = input;
  const preferredChannel = input.preferredChannel ?? 'sms';
  // A new patient registered at a clinic's desk is that clinic's (docs/policy.md): the link and its
  // event commit with the patient row.
  const clinicOf = (identity: Identity) =>
    identity.role === 'SystemAdministrator' ? undefined : identity.clinicId;

  const outcome = await mutation<PatientsTransaction, RegisterOutcome, PatientDetails>(
    {
      ...patientsMutation(context, 'Sign in to register a patient.'),
      permission: (identity) => {
        if (!REGISTERING_ROLES.includes(identity.role)) {
          return notAllowed(`A ${identity.role} cannot register patients.`);
        }
        const details = validatePatientDetails(registration);
        return isInvalidField(details) ? invalid(details.field, details.message) : details;
      },
      key: idempotencyKey,
      operation: 'registerPatient',
      input: ({ subject: details }) => ({ details, preferredChannel }),
    },
    async (tx, { identity, subject: details }) => {
      const clinicId = clinicOf(identity);
      const derivedId = registrationClientId(vaultKeys, identity, idempotencyKey);
      // Records are kept for good (docs/idempotency.md), so the derived id is new unless they were
      // purged; then this is a new registration under a new id.
      const taken = await tx.patient.findUnique({ where: { clientId: derivedId } });
      const clientId = taken ? randomUUID() : derivedId;
      // Vault rows under this id without a patient row are an earlier attempt's under this very claim
      // (nobody else can derive the id), which never committed: start over.
      if (!taken) await removeVaultRows(vault, clientId);
      // "Already registered" tells staff the person is somebody's patient: such answers count against the
      // clinic's guesses, and once they are spent every registration there waits out the hour, new
      // people's too (else a success would answer the question). findPatient reveals nothing of the kind.
      if (clinicId && (await clinicGuessesSpent(tx, clinicId, 'registration'))) {
        return notAllowed(
          'Too many registrations of details that are already registered were tried here recently.',
        );
      }
      try {
        await storePatientDetails(vault, vaultKeys, [{ clientId, details }]);
      } catch (error) {
        if (error instanceof ContactAlreadyRegisteredError) {
          if (clinicId) await countClinicGuess(tx, clinicId, 'registration');
          // Links nothing and names nobody: an existing patient gives this clinic a code from their app.
          return invalid(
            error.field,
            `This ${error.field} is already registered. An existing patient can give your reception a clinic access code from their app.`,
          );
        }
        throw error;
      }
      try {
        const patient = await tx.patient.create({ data: { clientId, preferredChannel } });
        if (clinicId)
          await linkClinics(tx, [{ clientId, clinicId }], 'registration', {
            role: identity.role,
            subject: identity.subject,
          });
        // The recorded outcome is the pseudonymous row only: no personal detail leaves the vault.
        return { __typename: 'PatientRegistered', patient };
      } catch (error) {
        await removeVaultRows(vault, clientId);
        throw error;
      }
    },
  );
  if (outcome.__typename === 'PatientRegistered' && context.identity && clinicOf(context.identity)) {
    context.linksOutbox?.poke();
  }
  return outcome;
}

async function removeVaultRows(vault: VaultDatabase, clientId: string): Promise<void> {
  await vault.$transaction([
    vault.patientPii.deleteMany({ where: { clientId } }),
    vault.dataKey.deleteMany({ where: { clientId } }),
  ]);
}

/** The clientId a registration under this caller's key writes to the vault: secret, and the same on a retry. */
export function registrationClientId(keys: VaultKeys, caller: Identity, idempotencyKey: string): string {
  return uuidOf(keys.blindIndex.derive('registration-client-id', callerOf(caller), idempotencyKey));
}

/** A UUID (version 4 and variant bits set, as randomUUID's) from 16 or more secret bytes. */
function uuidOf(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
