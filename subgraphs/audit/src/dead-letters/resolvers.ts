import { appError } from '@clinic/contracts';
import { requireSystemAdministrator } from '../access/access';
import type { Resolvers } from '../generated/graphql';
import { replayDeadLetter } from './replay-dead-letter';

const MAX_PAGE = 200;

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
    replayDeadLetter: async (_root, { id, idempotencyKey }, { db, bus, identity }) => {
      requireSystemAdministrator(identity);
      return replayDeadLetter(id, idempotencyKey, identity, { db, bus });
    },
  },
  DeadLetter: {
    key: (deadLetter) => deadLetter.messageKey,
    headers: (deadLetter) =>
      Object.entries(deadLetter.headers as Record<string, string>).map(([name, value]) => ({ name, value })),
  },
};
