import DataLoader from 'dataloader';
import { appError } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import type { Slot } from '../generated/prisma/client';
import type { Resolvers } from '../generated/graphql';
import { availableSlots, nextAvailableSlot, notBefore } from './available-slots';
import { checkInDateWindow } from './date-window';
import { freeForReads, LAPSED_HOLD_SQL, readAsFree } from './lapsed-holds';

const MAX_PAGE = 200;
const MAX_WINDOW_DAYS = 31;
/** A doctor's free slots listed at once: the SDL's `@listSize(assumedSize: 500)`, which the cost estimate trusts. */
const MAX_DOCTOR_SLOTS = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The part of a window whose slots can still be booked. */
function window(from: Date, to: Date): { gte: Date; lt: Date } {
  if (!(to > from)) throw appError('BAD_USER_INPUT', 'to must be after from.');
  checkInDateWindow('from', from);
  checkInDateWindow('to', to);
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw appError('BAD_USER_INPUT', `The window may span at most ${MAX_WINDOW_DAYS} days.`);
  }
  return { gte: notBefore(from), lt: to };
}

interface DoctorWindow {
  doctorId: string;
  from: Date;
  to: Date;
}

const windowKey = (key: { from: Date; to: Date }) => `${key.from.toISOString()}/${key.to.toISOString()}`;
const doctorWindowKey = (doctorId: string, window: string) => `${doctorId}@${window}`;

/** One doctor's free slots in a window; batched so a list of doctors costs one query per window. */
export function createFreeSlotsLoader(db: AppointmentsDatabase) {
  return new DataLoader<DoctorWindow, Slot[], string>(
    async (keys) => {
      const byWindow = new Map<string, { from: Date; to: Date; doctorIds: string[] }>();
      for (const key of keys) {
        const group = byWindow.get(windowKey(key)) ?? { from: key.from, to: key.to, doctorIds: [] };
        group.doctorIds.push(key.doctorId);
        byWindow.set(windowKey(key), group);
      }
      const found = new Map<string, Slot[]>();
      for (const [window, group] of byWindow) {
        // At most MAX_DOCTOR_SLOTS rows read per doctor, in the database: the cost estimate counts what a
        // doctor's list returns, so what it reads must be bounded the same way (5-minute slots over 31
        // days are thousands).
        const rows = await db.$queryRawUnsafe<Slot[]>(
          `SELECT s.id, s.doctor_id AS "doctorId", s.clinic_id AS "clinicId", s.start, s."end", s.status,
                  s.telehealth
             FROM unnest($1::uuid[]) AS d(id)
             CROSS JOIN LATERAL (
               SELECT * FROM slot s
                WHERE s.doctor_id = d.id AND s.start >= $2 AND s.start < $3
                  AND (s.status = 'free' OR (${LAPSED_HOLD_SQL}))
                ORDER BY s.start, s.id
                LIMIT $4) s
            ORDER BY s.start, s.id`,
          group.doctorIds.filter(isUuid),
          notBefore(group.from),
          group.to,
          MAX_DOCTOR_SLOTS,
        );
        for (const row of readAsFree(rows)) {
          const key = doctorWindowKey(row.doctorId, window);
          found.set(key, [...(found.get(key) ?? []), row]);
        }
      }
      return keys.map((key) =>
        (found.get(doctorWindowKey(key.doctorId, windowKey(key))) ?? []).slice(0, MAX_DOCTOR_SLOTS),
      );
    },
    { cacheKeyFn: (key) => doctorWindowKey(key.doctorId, windowKey(key)) },
  );
}

export const slotResolvers: Resolvers = {
  Query: {
    availableSlots: (_root, { filter, first, after }, { db }) => availableSlots(db, filter, first, after),
    nextAvailableSlot: (_root, { clinicId, doctorId }, { db }) => nextAvailableSlot(db, clinicId, doctorId),
    slot: (_root, { id }, { loaders }) => (isUuid(id) ? loaders.slot.load(id) : null),
    freeSlots: async (_root, { clinicId, doctorId, from, to, first }, { db }) => {
      const take = first ?? 50;
      if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) {
        throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`);
      }
      for (const [name, value] of [
        ['clinicId', clinicId],
        ['doctorId', doctorId],
      ] as const) {
        if (value != null && !isUuid(value)) throw appError('BAD_USER_INPUT', `${name} is not a valid id.`);
      }
      return readAsFree(
        await db.slot.findMany({
          where: {
            ...freeForReads(),
            start: window(from, to),
            ...(clinicId ? { clinicId } : {}),
            ...(doctorId ? { doctorId } : {}),
          },
          orderBy: [{ start: 'asc' }, { id: 'asc' }],
          take,
        }),
      );
    },
  },
  Slot: {
    __resolveReference: (reference, { loaders }) => loaders.slot.load(reference.id),
    doctor: (slot) => ({ id: slot.doctorId }),
  },
  Doctor: {
    freeSlots: (doctor, { from, days }, { loaders }) => {
      const span = days ?? 7;
      if (!Number.isInteger(span) || span < 1 || span > MAX_WINDOW_DAYS) {
        throw appError('BAD_USER_INPUT', `days must be between 1 and ${MAX_WINDOW_DAYS}.`);
      }
      const start = from ?? new Date();
      checkInDateWindow('from', start); // and so start + days, at most 31 days on
      return loaders.freeSlots.load({
        doctorId: doctor.id,
        from: start,
        to: new Date(start.getTime() + span * DAY_MS),
      });
    },
  },
};
