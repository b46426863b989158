import DataLoader from 'dataloader';
import type { Identity } from '@clinic/contracts';
import { groupedByKey, isUuid } from '@clinic/platform';
import type { AuditDatabase } from '../database';
import type { AuditEntry } from '../generated/prisma/client';
import { readableHistory } from '../access/access';

export function createTrailLoaders(db: AuditDatabase, identity: Identity | null) {
  return {
    historyByAppointment: new DataLoader<string, AuditEntry[]>(async (appointmentIds) => {
      const rows = await db.auditEntry.findMany({
        where: {
          AND: [
            readableHistory(identity),
            { subjectType: 'Appointment', subjectId: { in: appointmentIds.filter(isUuid) } },
          ],
        },
        orderBy: { sequence: 'asc' },
      });
      return groupedByKey(appointmentIds, rows, (row) => row.subjectId);
    }),
  };
}

export type TrailLoaders = ReturnType<typeof createTrailLoaders>;
