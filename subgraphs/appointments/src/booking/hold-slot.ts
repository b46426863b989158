import { randomUUID } from 'node:crypto';
import { enqueueEvents, mutation } from '@clinic/platform';
import { mayUseSlot, patientActedFor, staffMayActFor } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { Appointment, Prisma } from '../generated/prisma/client';
import type { HoldSlotInput } from '../generated/graphql';
import { claimSlot, isBookingConflict, placementOn } from './claim-slot';
import { actorOf, slotChangedEvent } from './events';
import {
  invalid,
  notAllowed,
  slotUnavailable,
  telehealthRefused,
  type InvalidInput,
  type NotAllowed,
  type SlotUnavailable,
} from './outcomes';

export type HoldOutcome =
  | { __typename: 'SlotHeld'; hold: Appointment; expiresAt: Date }
  | SlotUnavailable
  | NotAllowed
  | InvalidInput;

type Tx = Prisma.TransactionClient;

/**
 * Holds a free slot for a few minutes while the patient finishes booking: the slot becomes
 * busy-tentative and a pending appointment records who holds it. `bookAppointment` with the hold's id
 * confirms it; past `expiresAt` the hold is released (lazily by the next claim, and by the sweeper).
 * One patient holds at most `holdsPerPatient` slots at once, so nobody can take a doctor's day off the
 * market by holding it. A repeat of the key answers the first outcome (runIdempotent).
 */
export async function holdSlot(input: HoldSlotInput, context: AppointmentsContext): Promise<HoldOutcome> {
  const telehealth = input.telehealth ?? false;
  const outcome = await mutation<Tx, HoldOutcome, { clientId: string }>(
    {
      db: context.db,
      identity: context.identity,
      signIn: 'Sign in to hold a slot.',
      ids: [['slotId', input.slotId]],
      permission: (identity) => patientActedFor(identity, input.clientId ?? null),
      key: input.idempotencyKey,
      operation: 'holdSlot',
      // In person leaves the fingerprint as it was before telehealth existed, so those keys still match.
      input: ({ subject: patient }) => ({
        slotId: input.slotId,
        clientId: patient.clientId,
        telehealth: telehealth || undefined,
      }),
      options: {
        outcomeOfError: (error) => (isBookingConflict(error) ? slotUnavailable(input.slotId) : null),
      },
    },
    async (tx, { identity, subject: patient }) => {
      const refused =
        identity.role === 'Patient' ? null : await staffMayActFor(tx, identity, patient.clientId);
      if (refused) return refused;
      const slot = await tx.slot.findUnique({ where: { id: input.slotId } });
      if (!slot) return invalid('slotId', 'There is no slot with this id.');
      if (!mayUseSlot(identity, slot)) {
        return notAllowed('Clinic administrators hold slots only at their own clinic.');
      }
      const unfit = telehealthRefused(slot, telehealth);
      if (unfit) return unfit;
      // One patient's holds are counted one request at a time; the lock ends with the transaction.
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', patient.clientId);
      const held = await tx.appointment.count({
        where: { clientId: patient.clientId, status: 'pending', holdExpiresAt: { gt: new Date() } },
      });
      if (held >= context.holdsPerPatient) {
        return notAllowed('You already hold as many times as one patient may. Book or release one first.');
      }
      const claimed = await claimSlot(tx, slot, 'busy_tentative', patient.clientId);
      if (!claimed) return slotUnavailable(slot.id);
      const expiresAt = new Date(Date.now() + context.holdMinutes * 60_000);
      const hold = await tx.appointment.create({
        data: {
          id: randomUUID(),
          ...placementOn(claimed),
          clientId: patient.clientId,
          status: 'pending',
          holdExpiresAt: expiresAt,
          telehealth,
        },
      });
      await enqueueEvents(tx, 'appointments', [slotChangedEvent(claimed, actorOf(identity))]);
      return { __typename: 'SlotHeld', hold, expiresAt };
    },
  );
  if (outcome.__typename === 'SlotHeld') context.outbox.poke();
  return outcome;
}
