import DataLoader from 'dataloader';
import { groupedByKey, inKeyOrder, isUuid } from '@clinic/platform';
import type { DoctorsDatabase } from '../database';
import type { Clinic, Doctor } from '../generated/prisma/client';

/** Per-request batching: a page of entities costs one query per entity type, not one per row. */
export function createDirectoryLoaders(db: DoctorsDatabase) {
  return {
    clinic: new DataLoader<string, Clinic | null>(async (ids) => {
      const rows = await db.clinic.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      return inKeyOrder(ids, rows, (row) => row.id);
    }),
    doctor: new DataLoader<string, Doctor | null>(async (ids) => {
      const rows = await db.doctor.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      return inKeyOrder(ids, rows, (row) => row.id);
    }),
    doctorsByClinic: new DataLoader<string, Doctor[]>(async (clinicIds) => {
      const rows = await db.doctor.findMany({
        // A removed doctor has left the clinic: kept for their past appointments, gone from its list.
        where: { clinicId: { in: clinicIds.filter(isUuid) }, status: { not: 'removed' } },
        orderBy: [{ familyName: 'asc' }, { givenName: 'asc' }],
      });
      return groupedByKey(clinicIds, rows, (row) => row.clinicId);
    }),
  };
}

export type DirectoryLoaders = ReturnType<typeof createDirectoryLoaders>;
