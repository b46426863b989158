import { randomUUID } from 'node:crypto';
import { appError, enqueueEvents } from '@clinic/platform';
import type { AppointmentsContext } from '../context';
import type { Appointment } from '../generated/prisma/client';
import type { HoldSlotInput } from '../generated/graphql';
import { claimSlot, isBookingConflict, placementOn } from './claim-slot';
import { actorOf, slotChangedEvent } from './events';
import {
  checkId,
  checkIdempotencyKey,
  invalid,
  notAllowed,
  patientActedFor,
  slotUnavailable,
  type InvalidInput,
  type NotAllowed,
  type SlotUnavailable,
} from './outcomes';

export type HoldOutcome =
  | { __typename: 'SlotHeld'; hold: Appointment; expiresAt: Date }
  | SlotUnavailable
  | NotAllowed
  | InvalidInput;

/**
 * Holds a free slot for a few minutes while the patient finishes booking: the slot becomes
 * busy-tentative and a pending appointment records who holds it. `bookAppointment` with the hold's id
 * confirms it; past `expiresAt` the hold is released (lazily by the next claim, and by the sweeper).
 * The hold is the appointment row with its idempotency key, so a repeat returns the same hold.
 */
export async function holdSlot(input: HoldSlotInput, context: AppointmentsContext): Promise<HoldOutcome> {
  const { identity, db } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to hold a slot.');
  const refusal = checkIdempotencyKey(input.idempotencyKey) ?? checkId('slotId', input.slotId);
  if (refusal) return refusal;
  const patient = patientActedFor(identity, input.clientId ?? null);
  if ('__typename' in patient) return patient;

  const previous = await db.appointment.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
  if (previous) {
    if (previous.slotId !== input.slotId || previous.clientId !== patient.clientId) {
      return invalid('idempotencyKey', 'This key was already used for a different request.');
    }
    return {
      __typename: 'SlotHeld',
      hold: previous,
      expiresAt: previous.holdExpiresAt ?? previous.updatedAt,
    };
  }
  const slot = await db.slot.findUnique({ where: { id: input.slotId } });
  if (!slot) return invalid('slotId', 'There is no slot with this id.');
  if (identity.role === 'ClinicAdmin' && slot.clinicId !== identity.clinicId) {
    return notAllowed('Clinic administrators hold slots only at their own clinic.');
  }
  const expiresAt = new Date(Date.now() + context.holdMinutes * 60_000);
  try {
    const hold = await db.$transaction(async (tx) => {
      const claimed = await claimSlot(tx, slot.id, 'busy_tentative');
      if (!claimed) return null;
      const held = await tx.appointment.create({
        data: {
          id: randomUUID(),
          ...placementOn(claimed),
          clientId: patient.clientId,
          status: 'pending',
          holdExpiresAt: expiresAt,
          idempotencyKey: input.idempotencyKey,
        },
      });
      await enqueueEvents(tx, 'appointments', [slotChangedEvent(claimed, actorOf(identity))]);
      return held;
    });
    if (!hold) return slotUnavailable(slot.id);
    context.outbox.poke();
    return { __typename: 'SlotHeld', hold, expiresAt };
  } catch (error) {
    if (isBookingConflict(error)) return slotUnavailable(slot.id);
    throw error;
  }
}
