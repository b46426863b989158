import DataLoader from 'dataloader';
import { inKeyOrder, isUuid } from '@clinic/platform';
import type { PatientsDatabase, VaultDatabase } from '../database';
import type { Patient } from '../generated/prisma-patients/client';
import type { MasterKey } from '../vault/keys/master-key';
import { remindersOfAppointments, type ReminderView } from '../reminders/appointment-reminders';
import { readPatients } from '../vault/patient-record';
import type { PatientDetails } from '../vault/validation';

export function createPatientLoaders(db: PatientsDatabase, vault: VaultDatabase, masterKey: MasterKey) {
  return {
    patient: new DataLoader<string, Patient | null>(async (clientIds) => {
      const rows = await db.patient.findMany({ where: { clientId: { in: clientIds.filter(isUuid) } } });
      return inKeyOrder(clientIds, rows, (row) => row.clientId);
    }),
    /** Decrypted personal details, per request only: null for erased or unknown patients. */
    pii: new DataLoader<string, PatientDetails | null>(async (clientIds) => {
      const opened = await readPatients(vault, masterKey, clientIds.filter(isUuid));
      return clientIds.map((clientId) => opened.get(clientId) ?? null);
    }),
    /** Each appointment's reminders: one query for a page of appointments. */
    reminders: new DataLoader<string, ReminderView[]>((appointmentIds) =>
      remindersOfAppointments(db, appointmentIds),
    ),
  };
}

export type PatientLoaders = ReturnType<typeof createPatientLoaders>;
