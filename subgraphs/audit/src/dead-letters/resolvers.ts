import { appError, isUuid, TOPICS, type Identity, type TopicKey } from '@clinic/platform';
import type { Resolvers } from '../generated/graphql';

const MAX_PAGE = 200;

function requireSystemAdministrator(identity: Identity | null): void {
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see dead letters.');
  if (identity.role !== 'SystemAdministrator')
    throw appError('FORBIDDEN', 'Only system administrators see dead letters.');
}

export const deadLetterResolvers: Resolvers = {
  Query: {
    deadLetters: (_root, { first }, { db, identity }) => {
      requireSystemAdministrator(identity);
      const take = first ?? 50;
      if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) {
        throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`);
      }
      return db.deadLetter.findMany({ orderBy: [{ failedAt: 'desc' }, { id: 'asc' }], take });
    },
  },
  Mutation: {
    replayDeadLetter: async (_root, { id }, { db, bus, identity }) => {
      requireSystemAdministrator(identity);
      const deadLetter = isUuid(id) ? await db.deadLetter.findUnique({ where: { id } }) : null;
      if (!deadLetter) throw appError('BAD_USER_INPUT', 'There is no dead letter with this id.');
      if (!Object.hasOwn(TOPICS, deadLetter.topic))
        throw appError('BAD_USER_INPUT', 'Its topic no longer exists.');
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
      return db.deadLetter.update({
        where: { id },
        data: { replayCount: { increment: 1 }, lastReplayedAt: new Date() },
      });
    },
  },
  DeadLetter: {
    key: (deadLetter) => deadLetter.messageKey,
    headers: (deadLetter) =>
      Object.entries(deadLetter.headers as Record<string, string>).map(([name, value]) => ({ name, value })),
  },
};
