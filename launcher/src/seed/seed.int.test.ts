import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import {
  connectVaultDatabase,
  loadVaultKeys,
  readPatients,
  type PatientDetails,
  type VaultKeys,
} from '@clinic/patients-subgraph';
import { DATABASE_NAMES, type DatabaseName } from '@clinic/contracts';
import { migrateAll, openDatabases, type Databases } from '../databases';
import { DEFAULT_SEED, seed, type SeedOptions } from './seed';

const options: SeedOptions = {
  ...DEFAULT_SEED,
  clinics: 7,
  doctors: 7,
  patients: 12,
  appointments: 20,
  days: 7,
  from: '2027-04-01',
};
let first: Databases;
let second: Databases;
let vaultKeys: VaultKeys;

/** The vault's patients, decrypted: its rows themselves are ciphertext under random nonces and keys. */
async function vaultPeople(urls: Record<DatabaseName, string>): Promise<[string, PatientDetails][]> {
  const vault = connectVaultDatabase(urls.pii_vault);
  try {
    const ids = (await vault.dataKey.findMany({ select: { clientId: true } })).map((row) => row.clientId);
    const people = await readPatients(vault, vaultKeys.masterKey, ids);
    return [...people].sort(([a], [b]) => a.localeCompare(b));
  } finally {
    await vault.$disconnect();
  }
}

async function dump(urls: Record<DatabaseName, string>, database: DatabaseName, sql: string) {
  const client = new Client({ connectionString: urls[database] });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  [first, second] = await Promise.all([
    openDatabases({ dataDir: null, basePort: 0 }),
    openDatabases({ dataDir: null, basePort: 0 }),
  ]);
  await Promise.all([migrateAll(first.urls), migrateAll(second.urls)]);
  vaultKeys = await loadVaultKeys({ devDir: mkdtempSync(path.join(os.tmpdir(), 'seed-keys-')) });
  const progress = () => undefined;
  await Promise.all([
    seed(first.urls, options, progress, vaultKeys),
    seed(second.urls, options, progress, vaultKeys),
  ]);
  // Ten embedded databases, migrated and seeded: minutes on a busy machine. A bound for a hang, not a pace.
}, 600_000);
afterAll(async () => Promise.all([first?.stop(), second?.stop()]));

describe('seed', () => {
  it('is deterministic: the same options give the same rows', async () => {
    for (const [database, table] of [
      ['doctors', 'doctor'],
      ['appointments', 'appointment'],
    ] as const) {
      const query = `SELECT * FROM "${table}" ORDER BY 1`;
      const strip = (rows: Record<string, unknown>[]) =>
        rows.map(({ created_at: _c, updated_at: _u, ...row }) => row);
      expect(strip(await dump(first.urls, database, query))).toEqual(
        strip(await dump(second.urls, database, query)),
      );
    }
    expect(await vaultPeople(first.urls)).toEqual(await vaultPeople(second.urls));
  });

  it('puts slots at 09:00 clinic time in every zone, across the April daylight-saving change', async () => {
    const clinics = await dump(first.urls, 'doctors', 'SELECT id, time_zone FROM clinic');
    const slots = await dump(first.urls, 'appointments', 'SELECT clinic_id, start FROM slot ORDER BY start');
    const zoneOf = new Map(clinics.map((clinic) => [clinic.id, clinic.time_zone as string]));
    const firstOfDay = new Map<string, string>();
    for (const slot of slots) {
      const local = DateTime.fromJSDate(slot.start as Date, { zone: zoneOf.get(slot.clinic_id) });
      const day = `${slot.clinic_id}/${local.toISODate()}`;
      if (!firstOfDay.has(day)) firstOfDay.set(day, local.toFormat('HH:mm'));
    }
    // 1 April 2027 to 7 April 2027 spans the first Sunday of April, when Sydney, Melbourne, Hobart and Adelaide leave DST.
    expect(firstOfDay.size).toBe(7 * 5);
    expect(new Set(firstOfDay.values())).toEqual(new Set(['09:00']));
    expect(new Set(zoneOf.values())).toEqual(
      new Set([
        'Australia/Sydney',
        'Australia/Melbourne',
        'Australia/Brisbane',
        'Australia/Adelaide',
        'Australia/Perth',
        'Australia/Hobart',
        'Australia/Darwin',
      ]),
    );
  });

  it('keeps personal information in the vault only', async () => {
    const people = (await vaultPeople(first.urls)).map(([, person]) => person);
    expect(people).toHaveLength(options.patients);
    const needles = people.flatMap((person) => [
      person.email,
      person.phone,
      `${person.givenName} ${person.familyName}`,
    ]);
    for (const database of DATABASE_NAMES.filter((name) => name !== 'pii_vault')) {
      const tables = await dump(
        first.urls,
        database,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      for (const { table_name: table } of tables) {
        const text = JSON.stringify(await dump(first.urls, database, `SELECT * FROM "${table}"`));
        for (const needle of needles) expect(text).not.toContain(needle);
      }
    }
    for (const person of people) {
      expect(person.email).toMatch(/@example\.com$/);
      expect(person.phone).toMatch(/^\+61[2378]5550\d{4}$/);
    }
  });
});
