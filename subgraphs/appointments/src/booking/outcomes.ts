import { invalid, notAllowed, type Identity, type InvalidInput, type NotAllowed } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import type { Appointment, Slot } from '../generated/prisma/client';

export {
  checkIdempotencyKey,
  invalid,
  notAllowed,
  type InvalidInput,
  type NotAllowed,
} from '@clinic/contracts';

/** Outcomes a client must handle, as typed members of each mutation's result union. */
export type SlotUnavailable = { __typename: 'SlotUnavailable'; slotId: string; message: string };
export type HoldExpired = { __typename: 'HoldExpired'; holdId: string; message: string };
export type AppointmentNotFound = {
  __typename: 'AppointmentNotFound';
  appointmentId: string;
  message: string;
};
export type Refusal = SlotUnavailable | HoldExpired | NotAllowed | InvalidInput | AppointmentNotFound;

export const slotUnavailable = (
  slotId: string,
  message = 'This time has just been taken or is no longer available. Please choose another.',
): SlotUnavailable => ({ __typename: 'SlotUnavailable', slotId, message });
export const notFound = (appointmentId: string): AppointmentNotFound => ({
  __typename: 'AppointmentNotFound',
  appointmentId,
  message: 'There is no appointment with this id that you can change.',
});

export const REASON_MAX_LENGTH = 200;

export function checkId(field: string, value: string): InvalidInput | null {
  return isUuid(value) ? null : invalid(field, `This is not a valid ${field}.`);
}

/** A short reason for visit; longer text is refused because clinical notes do not belong here. */
export function checkReason(reason: string | null | undefined): { reason: string | null } | InvalidInput {
  const trimmed = reason?.trim() || null;
  if (trimmed && trimmed.length > REASON_MAX_LENGTH) {
    return invalid(
      'reasonForVisit',
      `Keep the reason to ${REASON_MAX_LENGTH} characters; clinical notes do not belong here.`,
    );
  }
  return { reason: trimmed };
}

/** A telehealth booking or hold needs a slot whose doctor offers telehealth; in person fits every slot. */
export function telehealthRefused(slot: Slot, telehealth: boolean): InvalidInput | null {
  return telehealth && !slot.telehealth
    ? invalid('telehealth', 'This doctor does not offer telehealth. Book in person or choose another doctor.')
    : null;
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
