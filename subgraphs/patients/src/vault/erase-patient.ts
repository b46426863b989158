import {
  type Identity,
  type Role,
  invalid,
  notAllowed,
  type InvalidInput,
  type NotAllowed,
} from '@clinic/contracts';
import { createEvent, enqueueEvents, mutation } from '@clinic/platform';
import { linkedToClinic } from '../access/access';
import { endAllAccessIn } from '../access/access-codes';
import { patientsMutation, type PatientsTransaction } from '../idempotency';
import type { PatientsContext } from '../context';
import type { VaultDatabase } from '../database';

export type EraseOutcome =
  { __typename: 'PatientErased'; clientId: string; erasedAt: Date } | InvalidInput | NotAllowed;

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
  const unknown = 'No patient has this clientId.';
  let linksEnded = 0;
  const outcome = await mutation<PatientsTransaction, EraseOutcome>(
    {
      ...patientsMutation(context, 'Sign in to erase a patient.'),
      ids: [['clientId', clientId, unknown]],
      permission: (identity) =>
        ERASING_ROLES.includes(identity.role)
          ? identity
          : notAllowed(`A ${identity.role} cannot erase patients.`),
      key: idempotencyKey,
      operation: 'erasePatient',
      input: () => ({ clientId }),
    },
    async (tx, { identity }) => {
      linksEnded = 0;
      const actor = { role: identity.role, subject: identity.subject };
      // Clinic scoping (docs/policy.md): a clinic admin erases only patients linked to their clinic.
      if (identity.role === 'ClinicAdmin' && !(await linkedToClinic(tx, clientId, identity.clinicId))) {
        return notAllowed('Clinic admins erase only patients linked to their clinic.');
      }
      const knownPatient = (await tx.patient.findUnique({ where: { clientId } })) !== null;
      const erased = await destroyPatientData(context.vault, clientId, identity, { knownPatient });
      if (!erased) return invalid('clientId', unknown);
      // Committed in the vault already: its event goes out now, whatever happens to this transaction.
      if (erased.first) context.vaultOutbox?.poke();
      // Erasure ends every clinic's link and every live code; a repeat finishes what a failure here left.
      linksEnded = await endAllAccessIn(tx, clientId, actor);
      return { __typename: 'PatientErased', clientId, erasedAt: erased.erasedAt };
    },
  );
  if (linksEnded > 0) context.linksOutbox?.poke();
  if (outcome.__typename === 'PatientErased') context.loaders.pii.clear(clientId);
  return outcome;
}
