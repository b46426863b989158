import { enqueueEvents, mutation } from '@clinic/platform';
import { waitlistPatient } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { Prisma, WaitlistEntry } from '../generated/prisma/client';
import type { LeaveWaitlistInput } from '../generated/graphql';
import { actorOf } from '../booking/events';
import type { InvalidInput, NotAllowed } from '../booking/outcomes';
import { releaseOffersOf } from './release-offers';

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

/**
 * A patient leaves one of their active entries; it stays on record as `left` and gets no more offers. Its
 * live offers end with it, and a sequential offer's hold is released, so the time passes on at once.
 */
export async function leaveWaitlist(
  input: LeaveWaitlistInput,
  context: AppointmentsContext,
): Promise<LeaveWaitlistOutcome> {
  let released = false;
  const outcome = await mutation<Tx, LeaveWaitlistOutcome, { clientId: string }>(
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
    async (tx, { identity, subject: { clientId } }) => {
      const mine = await tx.waitlistEntry.findFirst({
        where: { id: input.entryId, clientId, status: 'active' },
        select: { id: true },
      });
      if (!mine) return entryNotFound(input.entryId);
      // A sequential offer's hold goes with the entry, so the next in line need not wait for it to lapse.
      const freed = await releaseOffersOf(tx, [mine.id], actorOf(identity));
      const [entry] = await tx.waitlistEntry.updateManyAndReturn({
        where: { id: mine.id, status: 'active' },
        data: { status: 'left' },
      });
      if (!entry) return entryNotFound(input.entryId);
      await enqueueEvents(tx, 'appointments', freed);
      if (freed.length > 0) released = true;
      return { __typename: 'WaitlistLeft', entry };
    },
  );
  if (released) context.outbox.poke();
  return outcome;
}
