import {
  appError,
  invalid,
  notAllowed,
  type Identity,
  type InvalidInput,
  type NotAllowed,
} from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import type { Appointment, Prisma } from '../generated/prisma/client';

/*
 * The appointments service's `own` and `clinic` rules of the policy table
 * (libs/contracts/src/policy-table.ts), in one place. `own`: a patient's appointments are those with their
 * clientId, a doctor's those with them. `clinic`: appointments and slots at the caller's clinic, and for
 * changes, patients linked to it (clinic_link, this service's copy of the patients service's links).
 */

/**
 * Which appointments a caller may see: a patient their own, a doctor theirs, clinic staff their
 * clinic's, a system administrator all. Anonymous callers see none.
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

/** visibleAppointments for one appointment already read. */
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

/**
 * Whether the caller may see a doctor's day: the doctor their own, clinic staff the days of their
 * clinic's doctors (`doctorsClinic`: the clinic this service knows the doctor at, null when it knows none,
 * which is refused rather than answered empty), system administrators any.
 */
export async function maySeeDoctorDay(
  identity: Identity,
  doctorId: string,
  doctorsClinic: () => Promise<string | null>,
): Promise<boolean> {
  switch (identity.role) {
    case 'Doctor':
      return identity.subject === doctorId;
    case 'ClinicAdmin':
    case 'PracticeManager':
      return !!identity.clinicId && (await doctorsClinic()) === identity.clinicId;
    case 'SystemAdministrator':
      return true;
    default:
      return false;
  }
}

/** The patient a booking or hold is for: patients act for themselves, clinic admins name the patient. */
export function patientActedFor(
  identity: Identity,
  clientId: string | null,
): { clientId: string } | NotAllowed | InvalidInput {
  switch (identity.role) {
    case 'Patient':
      if (clientId && clientId !== identity.subject) return notAllowed('Patients book only for themselves.');
      return { clientId: identity.subject };
    case 'ClinicAdmin':
      if (!clientId) return invalid('clientId', 'Name the patient (clientId) you are booking for.');
      if (!isUuid(clientId)) return invalid('clientId', 'This is not a client id.');
      return { clientId };
    default:
      return notAllowed(`A ${identity.role} cannot book appointments.`);
  }
}

/** Who may change (cancel, reschedule, confirm) an existing appointment. */
export function mayChange(identity: Identity, appointment: Appointment): boolean {
  switch (identity.role) {
    case 'Patient':
      return appointment.clientId === identity.subject;
    case 'ClinicAdmin':
      return appointment.clinicId === identity.clinicId;
    default:
      return false;
  }
}

/** Whether the caller may book, hold or move onto this slot: a clinic admin only at their own clinic. */
export function mayUseSlot(identity: Identity, slot: { clinicId: string }): boolean {
  return identity.role !== 'ClinicAdmin' || slot.clinicId === identity.clinicId;
}

/**
 * One answer for a patient not linked to the caller's clinic and for a clientId that is no patient, so a
 * refusal does not tell which (docs/policy.md).
 */
const NOT_YOURS =
  'You can act only for patients linked to your clinic (their booking, registration or code).';

/**
 * Whether the caller may book or hold for this patient: null when they may, the typed NotAllowed when not.
 * A patient acts only for themself. Clinic staff act only for patients linked to their clinic (a link
 * starts only with the patient's own booking, registration or code there), and a clientId that is no
 * registered patient is never linked, so it gets the very same NotAllowed. Everyone else (a doctor, a
 * system administrator, staff without a clinic) books for nobody.
 */
export async function staffMayActFor(
  db: Pick<AppointmentsDatabase, 'clinicLink'>,
  identity: Identity,
  clientId: string,
): Promise<NotAllowed | null> {
  if (identity.role === 'Patient')
    return identity.subject === clientId ? null : notAllowed('Patients book only for themselves.');
  if ((identity.role !== 'ClinicAdmin' && identity.role !== 'PracticeManager') || !identity.clinicId)
    return notAllowed(NOT_YOURS);
  if (!isUuid(clientId)) return notAllowed(NOT_YOURS);
  const link = await db.clinicLink.findUnique({
    where: { clientId_clinicId: { clientId, clinicId: identity.clinicId } },
    select: { clientId: true },
  });
  return link ? null : notAllowed(NOT_YOURS);
}

// ---- Waitlist (issue 19) ----------------------------------------------------------------------------

/**
 * Which waitlist entries a caller may list: a patient their own (`myWaitlist`); clinic admins and practice
 * managers their clinic's, and naming another clinic is FORBIDDEN rather than an empty line, so a mistake
 * is not mistaken for nobody waiting; a system administrator must name the clinic. Doctors see none (least
 * privilege: the line names patients who have no appointment with them).
 */
export function visibleWaitlist(
  identity: Identity | null,
  clinicId: string | null | undefined,
): Prisma.WaitlistEntryWhereInput {
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see a waitlist.');
  switch (identity.role) {
    case 'Patient':
      return { clientId: identity.subject };
    case 'ClinicAdmin':
    case 'PracticeManager':
      if (!identity.clinicId) throw appError('FORBIDDEN', 'Your token names no clinic.');
      if (clinicId != null && clinicId !== identity.clinicId)
        throw appError('FORBIDDEN', "You may see only your own clinic's waitlist.");
      return { clinicId: identity.clinicId };
    case 'SystemAdministrator':
      if (clinicId == null) throw appError('BAD_USER_INPUT', 'Name the clinic (clinicId).');
      return { clinicId };
    default:
      throw appError('FORBIDDEN', 'A doctor does not see the waitlist.');
  }
}

/** Who may join or leave a waitlist: a patient, for themself only. */
export function waitlistPatient(identity: Identity): { clientId: string } | NotAllowed {
  return identity.role === 'Patient'
    ? { clientId: identity.subject }
    : notAllowed('Only patients join and leave a waitlist, for themselves.');
}
