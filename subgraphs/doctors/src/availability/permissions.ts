import type { Identity } from '@clinic/contracts';

/** What one may do to a doctor's availability. Kept in one place for the global policy table (issue 5). */
export type AvailabilityAction =
  'read' | 'set-rules' | 'add-leave' | 'add-blocked' | 'remove-leave' | 'remove-blocked' | 'set-status';

const CLINIC_MANAGERS = new Set(['ClinicAdmin', 'PracticeManager']);
const CLINIC_STAFF = new Set(['Doctor', 'ClinicAdmin', 'PracticeManager']);
const OWN_LEAVE: ReadonlySet<AvailabilityAction> = new Set(['read', 'add-leave', 'remove-leave']);

/**
 * The rule: system administrators anywhere; clinic administrators and practice managers at their own
 * clinic; any staff member of the clinic may read; a doctor may add and remove their own leave.
 */
export function mayChangeAvailability(
  identity: Identity,
  doctor: { id: string; clinicId: string },
  action: AvailabilityAction,
): boolean {
  if (identity.role === 'SystemAdministrator') return true;
  const ownClinic = identity.clinicId === doctor.clinicId;
  if (CLINIC_MANAGERS.has(identity.role) && ownClinic) return true;
  if (action === 'read' && CLINIC_STAFF.has(identity.role) && ownClinic) return true;
  return identity.role === 'Doctor' && identity.subject === doctor.id && OWN_LEAVE.has(action);
}
