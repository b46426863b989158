import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '@clinic/platform';
import { createTestDatabases, migrationsDir, type TestDatabases } from '@clinic/testing';

/**
 * Idempotency records are kept for good, so a key used before the patients schema took the shared
 * NotAllowed and InvalidInput must still replay: its recorded outcome is renamed by a migration, on a
 * database that holds records from before it.
 */
const RENAMING = '20261205000000_shared_outcome_names';
let databases: TestDatabases;
let before: string;
beforeAll(async () => {
  databases = await createTestDatabases(['patients']);
  before = mkdtempSync(path.join(os.tmpdir(), 'patients-migrations-'));
  cpSync(migrationsDir('patients'), before, {
    recursive: true,
    filter: (source) => !source.includes(RENAMING),
  });
}, 600_000);
afterAll(async () => {
  rmSync(before, { recursive: true, force: true });
  await databases?.drop();
});

it('renames outcomes recorded as PatientActionNotAllowed and InvalidPatientInput, and nothing else', async () => {
  const url = databases.urls.patients;
  await applyMigrations(url, before);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const record = (key: string, outcome: object) =>
      client.query(
        `INSERT INTO idempotency_record (caller, key, request_hash, outcome) VALUES ($1, $2, 'h', $3)`,
        ['ClinicAdmin:c:s', key, JSON.stringify(outcome)],
      );
    await record('refused-key', { __typename: 'PatientActionNotAllowed', message: 'Already registered.' });
    await record('invalid-key', { __typename: 'InvalidPatientInput', field: 'code', message: 'Too short.' });
    await record('granted-key', { __typename: 'ClinicAccessGranted', clinicId: 'c' });

    const { applied } = await applyMigrations(url, migrationsDir('patients'));
    expect(applied).toEqual([RENAMING]);

    const { rows } = await client.query<{ key: string; outcome: unknown }>(
      'SELECT key, outcome FROM idempotency_record ORDER BY key',
    );
    const outcomes = Object.fromEntries(rows.map((row) => [row.key, row.outcome]));
    expect(outcomes).toEqual({
      'refused-key': { __typename: 'NotAllowed', message: 'Already registered.' },
      'invalid-key': { __typename: 'InvalidInput', field: 'code', message: 'Too short.' },
      'granted-key': { __typename: 'ClinicAccessGranted', clinicId: 'c' },
    });
  } finally {
    await client.end();
  }
});
