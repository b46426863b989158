import DataLoader from 'dataloader';
import { inKeyOrder, isUuid } from '@clinic/platform';
import type { PatientsDatabase, VaultDatabase } from '../database';
import type { Patient } from '../generated/prisma-patients/client';
import type { PatientPii } from '../generated/prisma-vault/client';

export function createPatientLoaders(db: PatientsDatabase, vault: VaultDatabase) {
  return {
    patient: new DataLoader<string, Patient | null>(async (clientIds) => {
      const rows = await db.patient.findMany({ where: { clientId: { in: clientIds.filter(isUuid) } } });
      return inKeyOrder(clientIds, rows, (row) => row.clientId);
    }),
    pii: new DataLoader<string, PatientPii | null>(async (clientIds) => {
      const rows = await vault.patientPii.findMany({ where: { clientId: { in: clientIds.filter(isUuid) } } });
      return inKeyOrder(clientIds, rows, (row) => row.clientId);
    }),
  };
}

export type PatientLoaders = ReturnType<typeof createPatientLoaders>;
