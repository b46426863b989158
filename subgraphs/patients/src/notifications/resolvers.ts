import { appError } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import type { Prisma } from '../generated/prisma-patients/client';
import type { Resolvers } from '../generated/graphql';

const MAX_PAGE = 200;

/** Who may list which notifications; everything else is FORBIDDEN. */
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
      let where: Prisma.NotificationWhereInput;
      switch (identity.role) {
        case 'Patient':
          if (clientId !== null && clientId !== identity.subject) {
            throw appError('FORBIDDEN', 'A patient sees only their own notifications.');
          }
          where = { clientId: identity.subject, recipient: 'patient' };
          break;
        case 'ClinicAdmin':
        case 'PracticeManager':
          if (!identity.clinicId)
            throw appError('FORBIDDEN', 'Clinic staff need a clinic to see notifications.');
          where = { clinicId: identity.clinicId, ...(clientId ? { clientId } : {}) };
          break;
        case 'SystemAdministrator':
          where = clientId ? { clientId } : {};
          break;
        default:
          throw appError('FORBIDDEN', 'Only the patient and clinic administrators see notifications.');
      }
      const rows = await db.notification.findMany({
        where,
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
        appointmentStart: row.appointmentStart.toISOString(),
        queuedAt: row.createdAt.toISOString(),
        sentAt: row.sentAt?.toISOString() ?? null,
      }));
    },
  },
};
