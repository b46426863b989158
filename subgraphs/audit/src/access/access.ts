import { appError, type Identity } from '@clinic/contracts';
import type { Prisma } from '../generated/prisma/client';

/*
 * The audit service's `own` and `clinic` rules of the policy table (libs/contracts/src/policy-table.ts),
 * and who may use its operations, in one place. `own`: entries about a patient's own appointments
 * (clientId). `clinic`: entries of the caller's clinic (clinicId).
 */

/** Who reads the trail: system administrators all of it, practice managers their clinic's. */
export function readableTrail(identity: Identity | null): Prisma.AuditEntryWhereInput {
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to read the audit trail.');
  if (identity.role === 'SystemAdministrator') return {};
  if (identity.role === 'PracticeManager' && identity.clinicId) return { clinicId: identity.clinicId };
  throw appError('FORBIDDEN', 'Only system administrators and practice managers read the audit trail.');
}

/** Verifying the chain reads every entry, whichever clinic: system administrators only. */
export function requireChainVerifier(identity: Identity | null): void {
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to verify the audit trail.');
  if (identity.role !== 'SystemAdministrator')
    throw appError('FORBIDDEN', 'Only system administrators verify the audit trail.');
}

/** An appointment's own history is also shown to its patient, its doctor and its clinic's staff. */
export function readableHistory(identity: Identity | null): Prisma.AuditEntryWhereInput {
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see appointment history.');
  switch (identity.role) {
    case 'Patient':
      return { clientId: identity.subject };
    case 'Doctor':
    case 'ClinicAdmin':
    case 'PracticeManager':
      return identity.clinicId ? { clinicId: identity.clinicId } : { id: { in: [] } };
    case 'SystemAdministrator':
      return {};
  }
}

/** Dead letters, read and replayed: system administrators only. */
export function requireSystemAdministrator(identity: Identity | null): asserts identity is Identity {
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see dead letters.');
  if (identity.role !== 'SystemAdministrator')
    throw appError('FORBIDDEN', 'Only system administrators see dead letters.');
}
