import { mutation } from '@clinic/platform';
import { mayChangeAvailability } from '../access/access';
import type { DoctorsContext } from '../context';
import type { RemoveAvailabilityExceptionInput } from '../generated/graphql';
import { invalid, notAllowed, type InvalidInput, type NotAllowed } from './outcomes';
import type { DoctorsTransaction } from './publish-availability';
import { republishHorizon } from './doctor-change';

export type RemoveExceptionOutcome =
  { __typename: 'AvailabilityExceptionRemoved'; exceptionId: string } | NotAllowed | InvalidInput;

/** Deletes an exception and republishes the doctor's slots (its times come back) in one transaction. */
export async function removeAvailabilityException(
  input: RemoveAvailabilityExceptionInput,
  context: DoctorsContext,
): Promise<RemoveExceptionOutcome> {
  // A repeat finds the exception gone: runIdempotent answers it with the recorded outcome first. The
  // permission depends on the exception, so it is checked in the work.
  const outcome = await mutation<DoctorsTransaction, RemoveExceptionOutcome>(
    {
      db: context.db,
      identity: context.identity,
      signIn: 'Sign in to change availability.',
      ids: [['exceptionId', input.exceptionId, 'This is not an exception id.']],
      key: input.idempotencyKey,
      operation: 'removeAvailabilityException',
      input: () => ({ exceptionId: input.exceptionId }),
    },
    async (tx, { identity }) => {
      const exception = await tx.availabilityException.findUnique({
        where: { id: input.exceptionId },
        include: { doctor: true },
      });
      if (!exception) return invalid('exceptionId', 'There is no exception with this id.');
      const action = exception.kind === 'leave' ? 'remove-leave' : 'remove-blocked';
      if (!mayChangeAvailability(identity, exception.doctor, action)) {
        return notAllowed("Only the doctor (for their leave) or the clinic's managers remove an exception.");
      }
      // Deleted by someone else since the read: nothing of it is left to remove.
      const removed = await tx.availabilityException.deleteMany({ where: { id: exception.id } });
      if (removed.count === 0) return invalid('exceptionId', 'There is no exception with this id.');
      await republishHorizon(tx, exception.doctorId, context.horizonDays, {
        role: identity.role,
        subject: identity.subject,
      });
      return { __typename: 'AvailabilityExceptionRemoved', exceptionId: input.exceptionId };
    },
  );
  context.outbox.poke();
  return outcome;
}
