import { appError, isUuid } from '@clinic/platform';
import type { DoctorsContext } from '../context';
import type { RemoveAvailabilityExceptionInput } from '../generated/graphql';
import {
  checkIdempotencyKey,
  invalid,
  notAllowed,
  once,
  type InvalidInput,
  type NotAllowed,
} from './outcomes';
import { mayChangeAvailability } from './permissions';
import { horizonEnd, publishAvailability } from './publish-availability';

export type RemoveExceptionOutcome =
  { __typename: 'AvailabilityExceptionRemoved'; exceptionId: string } | NotAllowed | InvalidInput;

/** Deletes an exception and republishes the doctor's slots (its times come back) in one transaction. */
export async function removeAvailabilityException(
  input: RemoveAvailabilityExceptionInput,
  context: DoctorsContext,
): Promise<RemoveExceptionOutcome> {
  const { identity, db } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to change availability.');
  const badKey = checkIdempotencyKey(input.idempotencyKey);
  if (badKey) return badKey;
  if (!isUuid(input.exceptionId)) return invalid('exceptionId', 'This is not an exception id.');
  const processed = await db.processedMutation.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
  });
  const exception = await db.availabilityException.findUnique({
    where: { id: input.exceptionId },
    include: { doctor: true },
  });
  // A repeat finds the exception gone: the recorded outcome answers it (once() checks the key's doctor).
  const doctorId = exception?.doctorId ?? processed?.doctorId;
  if (!doctorId) return invalid('exceptionId', 'There is no exception with this id.');
  if (exception) {
    const action = exception.kind === 'leave' ? 'remove-leave' : 'remove-blocked';
    if (!mayChangeAvailability(identity, exception.doctor, action)) {
      return notAllowed("Only the doctor (for their leave) or the clinic's managers remove an exception.");
    }
  }

  return once<RemoveExceptionOutcome>(
    context,
    {
      idempotencyKey: input.idempotencyKey,
      operation: 'removeAvailabilityException',
      doctorId,
      toJson: (outcome) => outcome,
      fromJson: (json) => {
        const outcome = json as RemoveExceptionOutcome;
        return outcome.__typename === 'AvailabilityExceptionRemoved' &&
          outcome.exceptionId !== input.exceptionId
          ? invalid('idempotencyKey', 'This key was already used for a different change.')
          : outcome;
      },
    },
    async (tx) => {
      const removed = await tx.availabilityException.deleteMany({ where: { id: input.exceptionId } });
      if (removed.count === 0) throw new ExceptionGone();
      const now = new Date();
      await publishAvailability(
        tx,
        doctorId,
        { start: now, end: horizonEnd(now, context.horizonDays) },
        { role: identity.role, subject: identity.subject },
      );
      return { __typename: 'AvailabilityExceptionRemoved', exceptionId: input.exceptionId };
    },
  ).catch((error: unknown) => {
    if (error instanceof ExceptionGone) return invalid('exceptionId', 'There is no exception with this id.');
    throw error;
  });
}

/** Someone else removed it between the read and the transaction. */
class ExceptionGone extends Error {}
