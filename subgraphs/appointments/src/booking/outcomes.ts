import { invalid, type InvalidInput, type NotAllowed } from '@clinic/contracts';
import type { Slot } from '../generated/prisma/client';

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
