import DataLoader from 'dataloader';
import { appError, type Identity } from '@clinic/contracts';
import { AUDIT_TOPIC, auditRecord, enqueueEvents, isUuid } from '@clinic/platform';
import type { PatientsContext } from '../context';
import type { Prisma } from '../generated/prisma-patients/client';
import type { PatientsTransaction } from '../idempotency';

/*
 * The patients service's `own` and `clinic` rules of the policy table (libs/contracts/src/policy-table.ts),
 * in one place. `own` is the signed-in patient themself (their clientId is their token's subject);
 * `clinic` is the patients linked to the caller's clinic (patient_clinic: the patient's own booking,
 * registration or code there, see access-codes.ts and clinic-links.ts).
 */

/**
 * Who reads a patient's contact details (Patient.profile, docs/policy.md): the patient themself, and the
 * admins of a clinic linked to the patient. Every read is audited: a `patient.pii-read` record goes into
 * the vault's outbox before the details leave, so a read is never returned without its audit entry being
 * durably queued.
 */
export async function openProfile(context: PatientsContext, clientId: string): Promise<void> {
  const { identity } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see personal details.');
  const access = loadersOf(context);
  const allowed =
    identity.role === 'Patient'
      ? identity.subject === clientId
      : identity.role === 'ClinicAdmin' && (await linkedToCallersClinic(context, clientId));
  if (!allowed)
    throw appError(
      'FORBIDDEN',
      'Personal details are visible only to the patient and the admins of a clinic they have an appointment at.',
    );
  await access.audited.load(clientId);
}

/** Whether the patient is linked to the caller's clinic; false for a caller without one. */
export async function linkedToCallersClinic(context: PatientsContext, clientId: string): Promise<boolean> {
  return !!context.identity?.clinicId && loadersOf(context).linked.load(clientId);
}

/**
 * Whether findPatient may answer this patient: system administrators anyone, clinic staff the patients
 * linked to their clinic. The link is looked up whatever the role and id, so asking costs the same.
 */
export async function findsPatient(context: PatientsContext, clientId: string): Promise<boolean> {
  return context.identity?.role === 'SystemAdministrator' || (await linkedToCallersClinic(context, clientId));
}

/** Whether the patient is linked to this clinic, read in the caller's transaction (erasure's scope). */
export async function linkedToClinic(
  tx: PatientsTransaction,
  clientId: string,
  clinicId: string | undefined,
): Promise<boolean> {
  if (!clinicId || !isUuid(clinicId)) return false;
  return (
    (await tx.patientClinic.findUnique({ where: { clientId_clinicId: { clientId, clinicId } } })) !== null
  );
}

/**
 * The notifications a caller lists, optionally of one patient (`clientId`): a patient their own messages,
 * clinic admins and practice managers their clinic's (alerts to its admins included), system
 * administrators everyone's. Everything else is FORBIDDEN.
 */
export function visibleNotifications(
  identity: Identity,
  clientId: string | null,
): Prisma.NotificationWhereInput {
  switch (identity.role) {
    case 'Patient':
      if (clientId !== null && clientId !== identity.subject) {
        throw appError('FORBIDDEN', 'A patient sees only their own notifications.');
      }
      return { clientId: identity.subject, recipient: 'patient' };
    case 'ClinicAdmin':
    case 'PracticeManager':
      if (!identity.clinicId) throw appError('FORBIDDEN', 'Clinic staff need a clinic to see notifications.');
      return { clinicId: identity.clinicId, ...(clientId ? { clientId } : {}) };
    case 'SystemAdministrator':
      return clientId ? { clientId } : {};
    default:
      throw appError('FORBIDDEN', 'Only the patient and clinic administrators see notifications.');
  }
}

const perRequest = new WeakMap<PatientsContext, ReturnType<typeof createAccessLoaders>>();

function loadersOf(context: PatientsContext) {
  let loaders = perRequest.get(context);
  if (!loaders) perRequest.set(context, (loaders = createAccessLoaders(context)));
  return loaders;
}

/** Batched per request: a page of appointments with their patients' profiles costs one query of each. */
function createAccessLoaders(context: PatientsContext) {
  return {
    linked: new DataLoader<string, boolean>(async (clientIds) => {
      const rows = await context.db.patientClinic.findMany({
        where: { clinicId: context.identity?.clinicId ?? '', clientId: { in: clientIds.filter(isUuid) } },
        select: { clientId: true },
      });
      const linked = new Set(rows.map((row) => row.clientId));
      return clientIds.map((clientId) => linked.has(clientId));
    }),
    audited: new DataLoader<string, true>(async (clientIds) => {
      const identity = context.identity;
      if (!identity) throw new Error('an audited read needs an identity');
      const records = clientIds.map((clientId) =>
        auditRecord({
          action: 'patient.pii-read',
          actor: { role: identity.role, subject: identity.subject },
          subjectType: 'Patient',
          subjectId: clientId,
          clientId,
          ...(identity.clinicId ? { clinicId: identity.clinicId } : {}),
        }),
      );
      await enqueueEvents(context.vault, AUDIT_TOPIC, records);
      context.vaultOutbox?.poke();
      return clientIds.map(() => true as const);
    }),
  };
}

/**
 * Who manages a clinic's reminder settings (policy rows Query.reminderSettings, Mutation.setReminderSettings):
 * its own admins and practice managers (`clinic`), and system administrators for any clinic.
 */
export function managesClinicReminders(identity: Identity | null | undefined, clinicId: string): boolean {
  if (!identity) return false;
  if (identity.role === 'SystemAdministrator') return true;
  return (
    (identity.role === 'ClinicAdmin' || identity.role === 'PracticeManager') && identity.clinicId === clinicId
  );
}

/**
 * Which reminders of an appointment a caller sees (policy row Appointment.reminders): a patient those of
 * their own appointments, clinic staff (doctors included) those at their clinic, system administrators
 * all. The appointments service already answers an appointment only to who may see it; this is the
 * patients service's own check on its own rows.
 */
export function seesReminder(
  identity: Identity | null | undefined,
  reminder: { clientId: string; clinicId: string },
): boolean {
  if (!identity) return false;
  switch (identity.role) {
    case 'Patient':
      return reminder.clientId === identity.subject;
    case 'Doctor':
    case 'ClinicAdmin':
    case 'PracticeManager':
      return !!identity.clinicId && reminder.clinicId === identity.clinicId;
    case 'SystemAdministrator':
      return true;
  }
}

/**
 * Who may use a reminder's reply token (policy row Mutation.answerReminder): whoever holds it when not
 * signed in (the token is the credential), and a signed-in patient only for their own reminder.
 */
export function mayAnswerReminder(
  identity: Identity | null | undefined,
  reminder: { clientId: string },
): boolean {
  return identity?.role !== 'Patient' || identity.subject === reminder.clientId;
}
