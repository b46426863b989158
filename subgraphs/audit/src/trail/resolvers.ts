import { appError, isUuid } from '@clinic/platform';
import type { Resolvers } from '../generated/graphql';
import { readableTrail } from './visibility';

const MAX_PAGE = 500;

export const trailResolvers: Resolvers = {
  Query: {
    auditTrail: (_root, { correlationId, subjectId, first }, { db, identity }) => {
      const take = first ?? 100;
      if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) {
        throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`);
      }
      return db.auditEntry.findMany({
        where: {
          AND: [
            readableTrail(identity),
            correlationId ? { correlationId } : {},
            subjectId ? { subjectId } : {},
          ],
        },
        orderBy: { sequence: 'desc' },
        take,
      });
    },
  },
  AuditEntry: {
    __resolveReference: async (reference, { db, identity }) =>
      isUuid(reference.id)
        ? db.auditEntry.findFirst({ where: { AND: [readableTrail(identity), { id: reference.id }] } })
        : null,
    sequence: (entry) => entry.sequence.toString(),
  },
  Appointment: {
    history: (appointment, _args, { loaders }) => loaders.historyByAppointment.load(appointment.id),
  },
};
