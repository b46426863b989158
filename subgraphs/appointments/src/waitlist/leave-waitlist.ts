import { mutation } from '@clinic/platform';
import { waitlistPatient } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { Prisma, WaitlistEntry } from '../generated/prisma/client';
import type { LeaveWaitlistInput } from '../generated/graphql';
import type { InvalidInput, NotAllowed } from '../booking/outcomes';

export type WaitlistEntryNotFound = { __typename: 'WaitlistEntryNotFound'; entryId: string; message: string };
export type LeaveWaitlistOutcome =
  { __typename: 'WaitlistLeft'; entry: WaitlistEntry } | WaitlistEntryNotFound | NotAllowed | InvalidInput;

type Tx = Prisma.TransactionClient;

/** One answer for an entry that is not there, is another patient's, or was left already: none tells which. */
export const entryNotFound = (entryId: string): WaitlistEntryNotFound => ({
  __typename: 'WaitlistEntryNotFound',
  entryId,
  message: 'There is no waitlist entry with this id that you can leave.',
});

/** A patient leaves one of their active entries; it stays on record as `left` and gets no more offers. */
export async function leaveWaitlist(
  input: LeaveWaitlistInput,
  context: AppointmentsContext,
): Promise<LeaveWaitlistOutcome> {
  return mutation<Tx, LeaveWaitlistOutcome, { clientId: string }>(
    {
      db: context.db,
      identity: context.identity,
      signIn: 'Sign in to leave a waitlist.',
      ids: [['entryId', input.entryId]],
      permission: waitlistPatient,
      key: input.idempotencyKey,
      operation: 'leaveWaitlist',
      input: () => ({ entryId: input.entryId }),
    },
    async (tx, { subject: { clientId } }) => {
      const [entry] = await tx.waitlistEntry.updateManyAndReturn({
        where: { id: input.entryId, clientId, status: 'active' },
        data: { status: 'left' },
      });
      return entry ? { __typename: 'WaitlistLeft', entry } : entryNotFound(input.entryId);
    },
  );
}
