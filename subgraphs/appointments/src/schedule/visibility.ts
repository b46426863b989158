import { appError, type Identity } from '@clinic/contracts';
import type { Prisma } from '../generated/prisma/client';

/**
 * Which appointments a caller may see (thin slice of the role model): a patient their own, a doctor
 * theirs, clinic staff their clinic's, a system administrator all. Anonymous callers see none.
 */
export function visibleAppointments(identity: Identity | null): Prisma.AppointmentWhereInput {
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see appointments.');
  switch (identity.role) {
    case 'Patient':
      return { clientId: identity.subject };
    case 'Doctor':
      return { doctorId: identity.subject };
    case 'ClinicAdmin':
    case 'PracticeManager':
      if (!identity.clinicId) throw appError('FORBIDDEN', 'Your token names no clinic.');
      return { clinicId: identity.clinicId };
    case 'SystemAdministrator':
      return {};
  }
}

export function canSee(
  identity: Identity | null,
  appointment: { clientId: string; doctorId: string; clinicId: string },
): boolean {
  if (!identity) return false;
  switch (identity.role) {
    case 'Patient':
      return appointment.clientId === identity.subject;
    case 'Doctor':
      return appointment.doctorId === identity.subject;
    case 'ClinicAdmin':
    case 'PracticeManager':
      return appointment.clinicId === identity.clinicId;
    case 'SystemAdministrator':
      return true;
  }
}
