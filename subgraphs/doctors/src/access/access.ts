import {
  appError,
  invalid,
  notAllowed,
  type Identity,
  type InvalidInput,
  type NotAllowed,
} from '@clinic/contracts';

/**
 * Who may do what to a doctor's availability: the doctors service's `own` and `clinic` rows of the policy
 * table (libs/contracts/src/policy-table.ts), in one place.
 */
export type AvailabilityAction =
  'read' | 'set-rules' | 'add-leave' | 'add-blocked' | 'remove-leave' | 'remove-blocked' | 'set-status';

const CLINIC_MANAGERS = new Set(['ClinicAdmin', 'PracticeManager']);
const CLINIC_STAFF = new Set(['Doctor', 'ClinicAdmin', 'PracticeManager']);
const OWN_LEAVE: ReadonlySet<AvailabilityAction> = new Set(['read', 'add-leave', 'remove-leave']);

/**
 * The rule: system administrators anywhere; clinic administrators and practice managers at their own
 * clinic (`clinic`: doctors of the caller's clinic); any staff member of the clinic may read; a doctor
 * may add and remove their own leave (`own`).
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

/**
 * A mutation's permission on the doctor it names: that doctor (as loaded) when the caller may do this to
 * them; InvalidInput when there is no such doctor; NotAllowed, told `refusal`, when the caller may not.
 */
export function doctorTheCallerMayChange<D extends { id: string; clinicId: string }>(
  identity: Identity,
  doctor: D | null,
  action: AvailabilityAction,
  refusal: string,
): D | InvalidInput | NotAllowed {
  if (!doctor) return invalid('doctorId', 'There is no doctor with this id.');
  return mayChangeAvailability(identity, doctor, action) ? doctor : notAllowed(refusal);
}

/** A query's permission to read a doctor's availability: FORBIDDEN unless the caller is of their clinic. */
export function requireAvailabilityReader(
  identity: Identity,
  doctor: { id: string; clinicId: string },
): void {
  if (!mayChangeAvailability(identity, doctor, 'read')) {
    throw appError('FORBIDDEN', "Only staff of the doctor's clinic see their availability.");
  }
}
