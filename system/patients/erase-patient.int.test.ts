import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable, type EventEnvelope } from '@clinic/contracts';
import { createTestDatabases, type TestDatabases, eventually } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import { connectVaultDatabase, type VaultDatabase } from '../../subgraphs/patients/src/database';
import { readContactDetails } from '../../subgraphs/patients/src/vault/contact-details';
import { readPatients } from '../../subgraphs/patients/src/vault/patient-record';

let databases: TestDatabases;
let system: TestSystem;
let vault: VaultDatabase;
let admin: string;
const erasedEvents: EventEnvelope[] = [];

beforeAll(async () => {
  databases = await createTestDatabases();
  // Real PostgreSQL for every database; the in-process bus carries the vault relay's events.
  const env = Object.fromEntries(
    DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]),
  );
  system = await startTestSystem({}, env);
  vault = connectVaultDatabase(databases.urls.pii_vault);
  admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' });
  await system.bus.subscribe({
    topic: 'patients',
    group: 'erase-patient-test',
    handle: async (event) => void erasedEvents.push(event),
  });
}, 600_000);
afterAll(async () => {
  await vault?.$disconnect();
  await system?.stop();
  await databases?.drop();
});

async function raw(database: 'pii_vault' | 'appointments', sql: string, values: unknown[] = []) {
  const client = new Client({ connectionString: databases.urls[database] });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

const erase = `mutation($clientId: ID!, $key: String!) { erasePatient(clientId: $clientId, idempotencyKey: $key) {
  __typename ... on PatientErased { clientId erasedAt } ... on InvalidInput { field message }
  ... on NotAllowed { message } } }`;

/** A fresh idempotency key: each erasure here is a new intended action (two in a row are two). */
const newKey = () => `erase-${randomUUID()}`;

describe('the seeded vault', () => {
  it("holds none of the seeded patients' names, emails or phones in clear", async () => {
    const keys = await raw('pii_vault', 'SELECT client_id FROM data_key');
    const people = await readPatients(
      vault,
      system.vaultKeys.masterKey,
      keys.map((row) => row['client_id'] as string),
    );
    expect(people.size).toBe(20);
    const needles = [...people.values()].flatMap((person) => [
      person.givenName,
      person.familyName,
      person.email,
      person.phone,
      person.phone.slice(3), // the national number without +61
    ]);
    for (const table of ['patient_pii', 'data_key', 'outbox']) {
      for (const row of await raw('pii_vault', `SELECT * FROM "${table}"`)) {
        for (const value of Object.values(row)) {
          const text = Buffer.isBuffer(value) ? value.toString('latin1') : JSON.stringify(value);
          for (const needle of needles) expect(text).not.toContain(needle);
        }
      }
    }
    for (const person of people.values()) {
      expect(person.email).toMatch(/@example\.com$/);
      expect(person.phone).toMatch(/^\+61[2378]5550\d{4}$/);
    }
  });
});

describe('erasePatient through the gateway', () => {
  it('makes the PII unreadable at once, emits patient.erased, and keeps the appointments by clientId', async () => {
    const [booking] = await raw('appointments', 'SELECT client_id FROM appointment ORDER BY id LIMIT 1');
    const clientId = booking?.['client_id'] as string;
    const patient = await system.token({ role: 'Patient', subject: clientId });
    const appointmentsQuery = '{ appointments(first: 50) { id start patient { clientId } } }';
    const before = await system.graphql(appointmentsQuery, { token: patient });
    const appointments = before.body.data?.['appointments'] as { id: string }[];
    expect(appointments.length).toBeGreaterThan(0);
    const profile = await system.graphql('{ me { clientId profile { email phone givenName } } }', {
      token: patient,
    });
    const email = (profile.body.data?.['me'] as { profile: { email: string } }).profile.email;
    expect(email).toMatch(/@example\.com$/);

    const { body } = await system.graphql(erase, { token: admin, variables: { clientId, key: newKey() } });
    expect(body.errors).toBeUndefined();
    expect(body.data?.['erasePatient']).toMatchObject({ __typename: 'PatientErased', clientId });

    // Unreadable at once: the profile, the notification lookup, and the blind index all come back empty.
    const after = await system.graphql('{ me { clientId profile { email } } }', { token: patient });
    expect(after.body).toEqual({ data: { me: { clientId, profile: null } } });
    expect(await readContactDetails(vault, system.vaultKeys.masterKey, clientId)).toBeNull();
    const staff = await system.token({ role: 'ClinicAdmin', subject: 'staff-1', clinicId: clientId });
    const found = await system.graphql('query($email: String) { findPatient(email: $email) { clientId } }', {
      token: staff,
      variables: { email },
    });
    expect(found.body).toEqual({ data: { findPatient: null } });
    const [key] = await raw(
      'pii_vault',
      'SELECT wrapped_key, destroyed_at FROM data_key WHERE client_id = $1',
      [clientId],
    );
    expect(key).toMatchObject({ wrapped_key: null, destroyed_at: expect.any(Date) });
    expect(await raw('pii_vault', 'SELECT 1 FROM patient_pii WHERE client_id = $1', [clientId])).toEqual([]);

    // The event was written with the erasure and published by the service's relay.
    const outbox = await raw(
      'pii_vault',
      'SELECT topic, envelope FROM outbox WHERE aggregate_id = $1 AND topic = $2',
      [clientId, 'patients'],
    );
    expect(outbox).toEqual([
      {
        topic: 'patients',
        envelope: expect.objectContaining({
          type: 'patient.erased',
          payload: { clientId },
          actor: { role: 'SystemAdministrator', subject: 'staff-sysadmin-1' },
        }),
      },
    ]);
    const published = await eventually(async () => {
      const event = erasedEvents.find(
        (each) => each.aggregateId === clientId && each.type === 'patient.erased',
      );
      return event ?? undefined;
    });
    expect(published).toMatchObject({ type: 'patient.erased', payload: { clientId } });

    // The appointments stay, known by the pseudonymous clientId only.
    const later = await system.graphql(appointmentsQuery, { token: patient });
    expect(later.body.errors).toBeUndefined();
    expect(later.body.data?.['appointments']).toEqual(before.body.data?.['appointments']);
    for (const each of later.body.data?.['appointments'] as { patient: { clientId: string } }[]) {
      expect(each.patient).toEqual({ clientId });
    }
  });

  it('is idempotent: a repeat returns the first erasure and emits nothing more', async () => {
    const [row] = await raw('pii_vault', 'SELECT client_id FROM patient_pii ORDER BY client_id DESC LIMIT 1');
    const clientId = row?.['client_id'] as string;
    const first = await system.graphql(erase, { token: admin, variables: { clientId, key: newKey() } });
    const second = await system.graphql(erase, { token: admin, variables: { clientId, key: newKey() } });
    expect(second.body.data?.['erasePatient']).toEqual(first.body.data?.['erasePatient']);
    expect(
      await raw('pii_vault', 'SELECT 1 FROM outbox WHERE aggregate_id = $1 AND topic = $2', [
        clientId,
        'patients',
      ]),
    ).toHaveLength(1);
  });

  it('refuses other roles and unknown patients with typed outcomes', async () => {
    const [row] = await raw('pii_vault', 'SELECT client_id FROM patient_pii ORDER BY client_id LIMIT 1');
    const clientId = row?.['client_id'] as string;
    const doctor = await system.token({ role: 'Doctor', subject: 'dr-1', clinicId: clientId });
    const refused = await system.graphql(erase, { token: doctor, variables: { clientId, key: newKey() } });
    expect(refused.body.data?.['erasePatient']).toMatchObject({ __typename: 'NotAllowed' });
    expect(await readContactDetails(vault, system.vaultKeys.masterKey, clientId)).not.toBeNull();
    const unknown = await system.graphql(erase, {
      token: admin,
      variables: { clientId: '00000000-0000-4000-8000-000000000000', key: newKey() },
    });
    expect(unknown.body.data?.['erasePatient']).toMatchObject({
      __typename: 'InvalidInput',
      field: 'clientId',
    });
  });
});
