import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { applyMigrations } from '@clinic/platform';
import { createTestDatabases, type TestDatabases } from '@clinic/testing';
import {
  connectPatientsDatabase,
  connectVaultDatabase,
  type PatientsDatabase,
  type VaultDatabase,
} from '../../database';
import { BlindIndex } from '../../vault/blind-index';
import { LocalMasterKey } from '../../vault/keys/master-key';
import type { VaultKeys } from '../../vault/keys/vault-keys';
import { sealPatient } from '../../vault/patient-record';
import type { ContactLookup } from '../dispatcher';
import { vaultContactLookup } from '../vault-contacts';

export interface NotificationsTestBed {
  db: PatientsDatabase;
  /** The patients database's URL, for a process of its own (the reminder worker's kill test). */
  patientsUrl: string;
  vault: VaultDatabase;
  keys: VaultKeys;
  /** Reads from the real, encrypted vault, as the service does. */
  contacts: ContactLookup;
  /** Registers a mock patient (vault and patients rows) and returns their clientId and contact details. */
  register(preferredChannel: 'sms' | 'email'): Promise<{ clientId: string; email: string; phone: string }>;
  close(): Promise<void>;
}

let registered = 0;

/** Fresh patients and vault databases on the real PostgreSQL server, migrated, with a local master key. */
export async function notificationsTestBed(): Promise<NotificationsTestBed> {
  const databases: TestDatabases = await createTestDatabases(['patients', 'pii_vault']);
  const root = path.resolve(__dirname, '../../../../..');
  await applyMigrations(databases.urls.patients, path.join(root, 'prisma/patients/migrations'));
  await applyMigrations(databases.urls.pii_vault, path.join(root, 'prisma/pii_vault/migrations'));
  const db = connectPatientsDatabase(databases.urls.patients);
  const vault = connectVaultDatabase(databases.urls.pii_vault);
  const keys: VaultKeys = {
    masterKey: LocalMasterKey.generate(),
    blindIndex: new BlindIndex(randomBytes(32)),
  };
  return {
    db,
    patientsUrl: databases.urls.patients,
    vault,
    keys,
    contacts: vaultContactLookup(vault, keys.masterKey),
    register: async (preferredChannel) => {
      const clientId = randomUUID();
      const number = String(++registered).padStart(4, '0');
      // Mock data only: example.com addresses and numbers from the ACMA's fictional 02 5550 xxxx range.
      const details = {
        givenName: 'Pat',
        familyName: `Tester${number}`,
        dateOfBirth: '1980-01-01',
        email: `pat.tester${number}@example.com`,
        phone: `+6125550${number}`,
        address: '1 Example Street, Sydney NSW 2000',
        ihi: null,
      };
      const sealed = await sealPatient(keys, clientId, details);
      await vault.dataKey.create({ data: sealed.dataKey });
      await vault.patientPii.create({ data: sealed.pii });
      await db.patient.create({ data: { clientId, preferredChannel } });
      return { clientId, email: details.email, phone: details.phone };
    },
    close: async () => {
      await Promise.all([db.$disconnect(), vault.$disconnect()]);
      await databases.drop();
    },
  };
}
