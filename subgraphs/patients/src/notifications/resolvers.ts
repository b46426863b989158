import { appError } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import { visibleNotifications } from '../access/access';
import type { Resolvers } from '../generated/graphql';

const MAX_PAGE = 200;

/** Who may list which notifications: visibleNotifications (access/access.ts). */
export const notificationResolvers: Resolvers = {
  Query: {
    notifications: async (_root, args, { identity, db }) => {
      if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see notifications.');
      const first = args.first ?? 50;
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
        throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`);
      }
      const clientId = args.clientId ?? null;
      if (clientId !== null && !isUuid(clientId)) return [];
      const rows = await db.notification.findMany({
        where: visibleNotifications(identity, clientId),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first,
      });
      return rows.map((row) => ({
        id: row.id,
        reason: row.reason,
        recipient: row.recipient,
        clientId: row.clientId,
        clinicId: row.clinicId,
        channel: row.channel,
        status: row.status,
        attempts: row.attempts,
        appointmentId: row.appointmentId,
        appointmentStart: row.appointmentStart,
        queuedAt: row.createdAt,
        sentAt: row.sentAt,
      }));
    },
  },
};
