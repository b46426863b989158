import { randomUUID } from 'node:crypto';
import { mutation, type Refusal } from '@clinic/platform';
import { doctorTheCallerMayChange } from '../access/access';
import type { DoctorsContext } from '../context';
import type { AddAvailabilityExceptionInput, AvailabilityException } from '../generated/graphql';
import type { Doctor } from '../generated/prisma/client';
import { inDateWindow, OUTSIDE_WINDOW } from './date-window';
import { invalid, type InvalidInput, type NotAllowed } from './outcomes';
import type { DoctorsTransaction } from './publish-availability';
import { changeToDoctor, republishHorizon } from './doctor-change';

/** Lowercase code words only, so the column cannot carry a sentence (or a diagnosis). */
const REASON_CODE = /^[a-z][a-z0-9-]{1,39}$/;
const MAX_EXCEPTION_DAYS = 366;

export type AddExceptionOutcome =
  { __typename: 'AvailabilityExceptionAdded'; exception: AvailabilityException } | NotAllowed | InvalidInput;

/**
 * Records leave or a blocked period and republishes the doctor's slots over the horizon (without the
 * times it covers) in the same transaction. The event carries the remaining slots, never the leave itself.
 */
export async function addAvailabilityException(
  input: AddAvailabilityExceptionInput,
  context: DoctorsContext,
): Promise<AddExceptionOutcome> {
  const { db } = context;
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  const reasonCode = input.reasonCode ?? null;
  const outcome = await mutation<DoctorsTransaction, AddExceptionOutcome, Doctor>(
    {
      ...changeToDoctor(context, input.doctorId),
      permission: async (identity) => {
        const doctor = doctorTheCallerMayChange(
          identity,
          await db.doctor.findUnique({ where: { id: input.doctorId } }),
          input.kind === 'leave' ? 'add-leave' : 'add-blocked',
          input.kind === 'leave'
            ? "Only the doctor or the clinic's administrators and practice managers enter leave."
            : "Only the clinic's administrators and practice managers block a doctor's time.",
        );
        return '__typename' in doctor ? doctor : (exceptionRefused(startsAt, endsAt, reasonCode) ?? doctor);
      },
      key: input.idempotencyKey,
      operation: 'addAvailabilityException',
      input: ({ subject: doctor }) => ({
        doctorId: doctor.id,
        startsAt,
        endsAt,
        kind: input.kind,
        reasonCode,
      }),
    },
    async (tx, { identity, subject: doctor }) => {
      const row = await tx.availabilityException.create({
        data: { id: randomUUID(), doctorId: doctor.id, startsAt, endsAt, kind: input.kind, reasonCode },
      });
      await republishHorizon(tx, doctor.id, context.horizonDays, {
        role: identity.role,
        subject: identity.subject,
      });
      return { __typename: 'AvailabilityExceptionAdded', exception: toAvailabilityException(row) };
    },
  );
  context.outbox.poke();
  return outcome;
}

/** What is wrong with the exception's times or reason, if anything. */
function exceptionRefused(startsAt: Date, endsAt: Date, reasonCode: string | null): Refusal | null {
  if (!(startsAt < endsAt)) return invalid('endsAt', 'The end must be after the start.');
  // Time that has passed has no slots to withdraw; a date years away is a typing mistake. With the
  // longest exception below, this also keeps the start within the window.
  if (endsAt <= new Date())
    return invalid('endsAt', 'This time has already ended; enter current or future time.');
  if (!inDateWindow(endsAt)) return invalid('endsAt', OUTSIDE_WINDOW);
  if (endsAt.getTime() - startsAt.getTime() > MAX_EXCEPTION_DAYS * 86_400_000) {
    return invalid('endsAt', `An exception lasts at most ${MAX_EXCEPTION_DAYS} days; add another for more.`);
  }
  if (reasonCode !== null && !REASON_CODE.test(reasonCode)) {
    return invalid('reasonCode', 'Use a short code of lowercase letters, digits and - (e.g. annual-leave).');
  }
  return null;
}

export function toAvailabilityException(row: {
  id: string;
  doctorId: string;
  startsAt: Date;
  endsAt: Date;
  kind: 'leave' | 'blocked';
  reasonCode: string | null;
}): AvailabilityException {
  return {
    id: row.id,
    doctorId: row.doctorId,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    kind: row.kind,
    reasonCode: row.reasonCode,
  };
}
