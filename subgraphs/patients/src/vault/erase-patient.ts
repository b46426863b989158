import { appError, type Identity, type Role } from '@clinic/contracts';
import { createEvent, enqueueEvents, isUuid } from '@clinic/platform';
import { endAllAccessIn } from '../access/access-codes';
import { runPatientsIdempotent, type PatientsTransaction } from '../idempotency';
import type { PatientsContext } from '../context';
import type { VaultDatabase } from '../database';

export type EraseOutcome =
  | { __typename: 'PatientErased'; clientId: string; erasedAt: string }
  | { __typename: 'InvalidPatientInput'; field: string; message: string }
  | { __typename: 'PatientActionNotAllowed'; message: string };

export const ERASING_ROLES: readonly Role[] = ['ClinicAdmin', 'SystemAdministrator'];

/** Marks a key row that never held a key: a patient known to `patients` but with nothing in the vault. */
const NO_MASTER_KEY = 'none';

/**
 * Destroys a patient's data key, deletes their sealed fields and blind indexes, and writes
 * `patient.erased` to the vault's outbox, all in one transaction: the event exists exactly when the
 * erasure does. The key row stays as a tombstone (when, not what). Copies of the sealed fields that
 * outlive this (backups) can no longer be opened through the live vault; see docs/vault.md for how
 * master-key rotation retires the wrapped key a backup still holds. Repeating an erasure changes
 * nothing and emits nothing; it returns the first erasure's time. Returns null for an unknown clientId.
 */
export async function destroyPatientData(
  vault: VaultDatabase,
  clientId: string,
  actor: Identity,
  options: { knownPatient: boolean },
): Promise<{ erasedAt: Date; first: boolean } | null> {
  return vault.$transaction(async (tx) => {
    // The row lock serialises concurrent erasures (and a concurrent re-wrap) of one patient.
    const [row] = await tx.$queryRawUnsafe<{ destroyed_at: Date | null }[]>(
      'SELECT "destroyed_at" FROM "data_key" WHERE "client_id" = $1::uuid FOR UPDATE',
      clientId,
    );
    if (row?.destroyed_at) return { erasedAt: row.destroyed_at, first: false };
    if (!row && !options.knownPatient) return null;
    const erasedAt = new Date();
    await tx.patientPii.deleteMany({ where: { clientId } });
    if (row) {
      await tx.dataKey.update({ where: { clientId }, data: { wrappedKey: null, destroyedAt: erasedAt } });
    } else {
      await tx.dataKey.create({
        data: { clientId, wrappedKey: null, masterKeyId: NO_MASTER_KEY, destroyedAt: erasedAt },
      });
    }
    const event = createEvent({
      type: 'patient.erased',
      aggregateId: clientId,
      actor: { role: actor.role, subject: actor.subject },
      payload: { clientId },
    });
    await enqueueEvents(tx, 'patients', [event]);
    return { erasedAt, first: true };
  });
}

/**
 * Erases a patient once per idempotency key: the key is claimed in a patients transaction that stays open
 * while the vault erases (its own transaction) and then ends every link and code of the patient, and
 * records the outcome. A concurrent duplicate waits on the claim and answers the same; a later repeat
 * answers the first outcome, also once the clinic no longer reaches the patient (the erasure ended that).
 * A failure after the vault erased leaves no record, and a retry finds the erasure done and finishes.
 */
export async function erasePatient(
  clientId: string,
  idempotencyKey: string,
  context: PatientsContext,
): Promise<EraseOutcome> {
  const { identity } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to erase a patient.');
  if (!ERASING_ROLES.includes(identity.role)) {
    return { __typename: 'PatientActionNotAllowed', message: `A ${identity.role} cannot erase patients.` };
  }
  const unknown: EraseOutcome = {
    __typename: 'InvalidPatientInput',
    field: 'clientId',
    message: 'No patient has this clientId.',
  };
  if (!isUuid(clientId)) return unknown;
  const actor = { role: identity.role, subject: identity.subject };
  let linksEnded = 0;
  const outcome = await runPatientsIdempotent<EraseOutcome>(
    context,
    { caller: identity, key: idempotencyKey, operation: 'erasePatient', input: { clientId } },
    async (tx) => {
      linksEnded = 0;
      // Clinic scoping (docs/policy.md): a clinic admin erases only patients of their own clinic.
      if (identity.role === 'ClinicAdmin' && !(await linkedTo(tx, clientId, identity.clinicId))) {
        return {
          __typename: 'PatientActionNotAllowed',
          message: 'Clinic admins erase only patients linked to their clinic.',
        };
      }
      const knownPatient = (await tx.patient.findUnique({ where: { clientId } })) !== null;
      const erased = await destroyPatientData(context.vault, clientId, identity, { knownPatient });
      if (!erased) return unknown;
      // Committed in the vault already: its event goes out now, whatever happens to this transaction.
      if (erased.first) context.vaultOutbox?.poke();
      // Erasure ends every clinic's link and every live code; a repeat finishes what a failure here left.
      linksEnded = await endAllAccessIn(tx, clientId, actor);
      return { __typename: 'PatientErased', clientId, erasedAt: erased.erasedAt.toISOString() };
    },
  );
  if (linksEnded > 0) context.linksOutbox?.poke();
  if (outcome.__typename === 'PatientErased') context.loaders.pii.clear(clientId);
  return outcome;
}

async function linkedTo(tx: PatientsTransaction, clientId: string, clinicId: string | undefined) {
  if (!clinicId || !isUuid(clinicId)) return false;
  return (
    (await tx.patientClinic.findUnique({ where: { clientId_clinicId: { clientId, clinicId } } })) !== null
  );
}
