import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import type { Identity } from '@clinic/contracts';
import { applyMigrations } from '@clinic/platform';
import { createTestDatabases, type TestDatabases } from '@clinic/testing';
import type { PatientsContext } from '../../context';
import {
  connectPatientsDatabase,
  connectVaultDatabase,
  type PatientsDatabase,
  type VaultDatabase,
} from '../../database';
import { createPatientLoaders } from '../../registry/loaders';
import { BlindIndex } from '../blind-index';
import { LocalMasterKey } from '../keys/master-key';
import type { VaultKeys } from '../keys/vault-keys';

const root = path.resolve(__dirname, '../../../../..');

/** Fresh patients and vault databases on the real PostgreSQL server, migrated, with local keys. */
export async function vaultTestBed() {
  const databases: TestDatabases = await createTestDatabases(['patients', 'pii_vault']);
  await applyMigrations(databases.urls.patients, path.join(root, 'prisma/patients/migrations'));
  await applyMigrations(databases.urls.pii_vault, path.join(root, 'prisma/pii_vault/migrations'));
  const db: PatientsDatabase = connectPatientsDatabase(databases.urls.patients);
  const vault: VaultDatabase = connectVaultDatabase(databases.urls.pii_vault);
  const keys: VaultKeys = {
    masterKey: LocalMasterKey.generate(),
    blindIndex: new BlindIndex(randomBytes(32)),
  };
  const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
  /** A context as the service builds one per request. */
  const context = (identity: Identity | null): PatientsContext => ({
    identity,
    correlationId: randomUUID(),
    logger,
    db,
    vault,
    vaultKeys: keys,
    vaultOutbox: null,
    loaders: createPatientLoaders(db, vault, keys.masterKey),
  });
  return {
    databases,
    db,
    vault,
    keys,
    context,
    close: async () => {
      await Promise.all([db.$disconnect(), vault.$disconnect()]);
      await databases.drop();
    },
  };
}

export type VaultTestBed = Awaited<ReturnType<typeof vaultTestBed>>;

let counter = 0;

/** Mock registration input: example.com email, ACMA fiction-range phone, a valid test IHI, a fresh key. */
export function mockRegistration(overrides: Record<string, string | null> = {}) {
  const n = String(++counter).padStart(4, '0');
  return {
    givenName: 'Alex',
    // Names are letters only: the digits spelt as letters keep each one unique.
    familyName: `Mockperson${[...n].map((digit) => 'abcdefghij'[Number(digit)]).join('')}`,
    dateOfBirth: '1985-06-15',
    email: `Alex.Mock${n}@Example.com`,
    phone: `(02) 5550 ${n}`,
    address: `${n} Example Street, Surry Hills NSW 2010`,
    ihi: '8003608166690503',
    idempotencyKey: `register-${randomUUID()}`,
    ...overrides,
  };
}
