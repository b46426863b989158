import DataLoader from 'dataloader';
import { appError } from '@clinic/contracts';
import { AUDIT_TOPIC, auditRecord, enqueueEvents, isUuid } from '@clinic/platform';
import type { PatientsContext } from '../context';

/**
 * Who reads a patient's contact details (Patient.profile, docs/policy.md): the patient themself, and the
 * admins of a clinic the patient has (had) an appointment at (patient_clinic, fed by appointment events).
 * Every read is audited: a `patient.pii-read` record goes into the vault's outbox before the details
 * leave, so a read is never returned without its audit entry being durably queued.
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

/** Whether the patient has (had) an appointment at the caller's clinic; false for a caller without one. */
export async function linkedToCallersClinic(context: PatientsContext, clientId: string): Promise<boolean> {
  return !!context.identity?.clinicId && loadersOf(context).linked.load(clientId);
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
