import { appError } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import { canSee, visibleAppointments } from '../access/access';
import type { Resolvers } from '../generated/graphql';
import { doctorDay } from './doctor-day';

const MAX_PAGE = 200;

export const scheduleResolvers: Resolvers = {
  Query: {
    appointments: async (_root, { first, after }, { db, identity }) => {
      const take = first ?? 50;
      if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) {
        throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`);
      }
      const visible = visibleAppointments(identity);
      if (after != null && !isUuid(after))
        throw appError('BAD_USER_INPUT', 'after must be an appointment id.');
      const cursor = after
        ? await db.appointment.findFirst({ where: { AND: [visible, { id: after }] } })
        : null;
      if (after && !cursor) throw appError('BAD_USER_INPUT', 'after names no appointment you can see.');
      return db.appointment.findMany({
        where: cursor
          ? {
              AND: [
                visible,
                { OR: [{ start: { gt: cursor.start } }, { start: cursor.start, id: { gt: cursor.id } }] },
              ],
            }
          : visible,
        orderBy: [{ start: 'asc' }, { id: 'asc' }],
        take,
      });
    },
    doctorDay: (_root, { doctorId, date, timeZone }, { db, identity }) =>
      doctorDay(db, identity, doctorId, date, timeZone),
    appointmentsNeedingAttention: async (_root, { clinicId, first }, { db, identity }) => {
      const take = first ?? 50;
      if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) {
        throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`);
      }
      if (clinicId != null && !isUuid(clinicId))
        throw appError('BAD_USER_INPUT', 'clinicId is not a valid id.');
      if (identity?.role === 'Patient') throw appError('FORBIDDEN', 'This list is for clinic staff.');
      return db.appointment.findMany({
        where: {
          AND: [
            visibleAppointments(identity),
            { needsAttentionSince: { not: null }, status: 'booked', start: { gt: new Date() } },
            clinicId ? { clinicId } : {},
          ],
        },
        orderBy: [{ start: 'asc' }, { id: 'asc' }],
        take,
      });
    },
    appointment: async (_root, { id }, { loaders, identity }) => {
      if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see appointments.');
      const appointment = await loaders.appointment.load(id);
      return appointment && canSee(identity, appointment) ? appointment : null;
    },
  },
  Appointment: {
    __resolveReference: async (reference, { loaders, identity }) => {
      const appointment = await loaders.appointment.load(reference.id);
      return appointment && canSee(identity, appointment) ? appointment : null;
    },
    slot: async (appointment, _args, { loaders }) => {
      const slot = await loaders.slot.load(appointment.slotId);
      if (!slot) throw new Error(`appointment ${appointment.id} names missing slot ${appointment.slotId}`);
      return slot;
    },
    doctor: (appointment) => ({ id: appointment.doctorId }),
    needsAttention: (appointment) => appointment.needsAttentionSince !== null,
  },
};
