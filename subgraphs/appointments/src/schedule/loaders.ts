import DataLoader from 'dataloader';
import { inKeyOrder, isUuid } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import type { Appointment, Slot } from '../generated/prisma/client';
import { createFreeSlotsLoader } from '../slots/free-slots';
import { withLapsedHoldsFreed } from '../slots/lapsed-holds';

/** Per-request batching: a page of entities costs one query per entity type, not one per row. */
export function createScheduleLoaders(db: AppointmentsDatabase) {
  return {
    slot: new DataLoader<string, Slot | null>(async (ids) => {
      const rows = await db.slot.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      return inKeyOrder(ids, await withLapsedHoldsFreed(db, rows), (row) => row.id);
    }),
    appointment: new DataLoader<string, Appointment | null>(async (ids) => {
      const rows = await db.appointment.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      return inKeyOrder(ids, rows, (row) => row.id);
    }),
    freeSlots: createFreeSlotsLoader(db),
  };
}

export type ScheduleLoaders = ReturnType<typeof createScheduleLoaders>;
