import { appError, type Identity } from '@clinic/contracts';
import type { Prisma } from '../generated/prisma/client';

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
