import { invalid, TOPICS, type Identity, type InvalidInput, type TopicKey } from '@clinic/contracts';
import { mutation } from '@clinic/platform';
import type { AuditContext } from '../context';
import type { DeadLetter, Prisma } from '../generated/prisma/client';

export type ReplayOutcome = { __typename: 'DeadLetterReplayed'; deadLetter: DeadLetter } | InvalidInput;

const UNKNOWN = 'There is no dead letter with this id.';

/**
 * Puts a dead letter's message back on its topic once per idempotency key: the key is claimed in the
 * audit transaction that counts the replay, so a double click publishes once and both answers are the
 * letter as that replay left it; a later retry answers the same, however often it was replayed since.
 * The message is published inside that transaction: should the commit fail after it, a retry publishes it
 * again, which consumers skip (their inboxes know the event). The audit trail's tables are not touched.
 */
export async function replayDeadLetter(
  id: string,
  idempotencyKey: string,
  identity: Identity,
  { db, bus }: Pick<AuditContext, 'db' | 'bus'>,
): Promise<ReplayOutcome> {
  // The caller is a system administrator already (the resolver's requireSystemAdministrator).
  return mutation<Prisma.TransactionClient, ReplayOutcome>(
    {
      db,
      identity,
      signIn: 'Sign in to see dead letters.',
      ids: [['id', id, UNKNOWN]],
      key: idempotencyKey,
      operation: 'replayDeadLetter',
      input: () => ({ id }),
    },
    async (tx) => {
      const deadLetter = await tx.deadLetter.findUnique({ where: { id } });
      if (!deadLetter) return invalid('id', UNKNOWN);
      if (!Object.hasOwn(TOPICS, deadLetter.topic)) return invalid('id', 'Its topic no longer exists.');
      await bus.replay({
        id: deadLetter.id,
        topic: deadLetter.topic as TopicKey,
        group: deadLetter.consumerGroup,
        reason: deadLetter.reason,
        failedAt: deadLetter.failedAt.toISOString(),
        key: deadLetter.messageKey,
        headers: deadLetter.headers as Record<string, string>,
        value: deadLetter.message,
      });
      const replayed = await tx.deadLetter.update({
        where: { id },
        data: { replayCount: { increment: 1 }, lastReplayedAt: new Date() },
      });
      return { __typename: 'DeadLetterReplayed', deadLetter: replayed };
    },
  );
}
