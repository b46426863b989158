import { randomUUID } from 'node:crypto';
import { appError, type Identity, type Role } from '@clinic/contracts';
import type { PatientsContext } from '../context';
import type { VaultDatabase } from '../database';
import type { RegisterPatientInput } from '../generated/graphql';
import type { Patient } from '../generated/prisma-patients/client';
import { Prisma } from '../generated/prisma-vault/client';
import type { VaultKeys } from './keys/vault-keys';
import { clinicGuessesSpent, countClinicGuess } from '../access/access-codes';
import { linkClinics } from '../access/clinic-links';
import { callerOf, runPatientsIdempotent } from '../idempotency';
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
  const { identity, vault, vaultKeys } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to register a patient.');
  if (!REGISTERING_ROLES.includes(identity.role)) {
    return { __typename: 'PatientActionNotAllowed', message: `A ${identity.role} cannot register patients.` };
  }
  const { idempotencyKey, ...registration } = input;
  const details = validatePatientDetails(registration);
  if (isInvalidField(details)) return invalid(details.field, details.message);
  const preferredChannel = input.preferredChannel ?? 'sms';
  // A new patient registered at a clinic's desk is that clinic's (docs/policy.md): the link and its
  // event commit with the patient row.
  const clinicId = identity.role === 'SystemAdministrator' ? undefined : identity.clinicId;
  const derivedId = registrationClientId(vaultKeys, identity, idempotencyKey);

  const outcome = await runPatientsIdempotent<RegisterOutcome>(
    context,
    {
      caller: identity,
      key: idempotencyKey,
      operation: 'registerPatient',
      input: { details, preferredChannel },
    },
    async (tx) => {
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
        return {
          __typename: 'PatientActionNotAllowed',
          message: 'Too many registrations of details that are already registered were tried here recently.',
        };
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
  if (outcome.__typename === 'PatientRegistered' && clinicId) context.linksOutbox?.poke();
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
