import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases, type TestDatabases } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import { mockRegistration as mockDetails } from '../../subgraphs/patients/src/vault/testing/vault-test-bed';

/**
 * Retries of registerPatient and erasePatient through the gateway on real PostgreSQL: a double tap at
 * the front desk, a retry after a timeout, a key reused by mistake, another caller's key.
 */
let databases: TestDatabases;
let system: TestSystem;

beforeAll(async () => {
  databases = await createTestDatabases();
  const env = Object.fromEntries(
    DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]),
  );
  system = await startTestSystem({ appointments: 0, patients: 5 }, env);
}, 600_000);
afterAll(async () => {
  await system?.stop();
  await databases?.drop();
});

async function raw(database: 'pii_vault' | 'patients', sql: string, values: unknown[] = []) {
  const client = new Client({ connectionString: databases.urls[database] });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

const count = async (database: 'pii_vault' | 'patients', table: string) =>
  Number((await raw(database, `SELECT count(*)::int AS n FROM "${table}"`))[0]?.['n']);

const REGISTER = `mutation($input: RegisterPatientInput!) { registerPatient(input: $input) {
  __typename ... on PatientRegistered { patient { clientId preferredChannel } }
  ... on InvalidInput { field message } ... on NotAllowed { message } } }`;
const ERASE = `mutation($clientId: ID!, $key: String!) { erasePatient(clientId: $clientId, idempotencyKey: $key) {
  __typename ... on PatientErased { clientId erasedAt } ... on InvalidInput { field message }
  ... on NotAllowed { message } } }`;

type Outcome = Record<string, unknown> & { __typename?: string };

/** Mock details on (08) numbers: the seed's few patients have (02) numbers the mock's counter reaches. */
function mockRegistration() {
  const details = mockDetails();
  return { ...details, phone: details.phone.replace('(02)', '(08)') };
}

async function send(query: string, token: string, variables: Record<string, unknown>): Promise<Outcome> {
  const { body } = await system.graphql(query, { token, variables });
  expect(body.errors).toBeUndefined();
  return Object.values(body.data ?? {})[0] as Outcome;
}

const key = () => `k-${randomUUID()}`;
const clinicAdmin = (clinicId: string = randomUUID()) =>
  system.token({ role: 'ClinicAdmin', subject: `staff-${randomUUID()}`, clinicId });
const atOnce = <T>(request: () => Promise<T>, times = 3) =>
  Promise.all(Array.from({ length: times }, request));
const clientIdOf = (outcome: Outcome | undefined) =>
  (outcome?.['patient'] as { clientId: string } | undefined)?.clientId;

describe('registerPatient', () => {
  it('answers a double (triple) tap with one registration: the same PatientRegistered, one vault row', async () => {
    const token = await clinicAdmin();
    const input = { ...mockRegistration(), idempotencyKey: key() };
    const [keysBefore, patientsBefore] = [
      await count('pii_vault', 'data_key'),
      await count('patients', 'patient'),
    ];
    const answers = await atOnce(() => send(REGISTER, token, { input }));
    expect(answers.map((answer) => answer.__typename)).toEqual(Array(3).fill('PatientRegistered'));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(await count('pii_vault', 'data_key')).toBe(keysBefore + 1);
    expect(await count('pii_vault', 'patient_pii')).toBe(keysBefore + 1);
    expect(await count('patients', 'patient')).toBe(patientsBefore + 1);
  });

  it('refuses the same key with other details, naming the key, and registers nobody', async () => {
    const token = await clinicAdmin();
    const reused = key();
    const first = await send(REGISTER, token, { input: { ...mockRegistration(), idempotencyKey: reused } });
    expect(first.__typename).toBe('PatientRegistered');
    const keysBefore = await count('pii_vault', 'data_key');
    const other = await send(REGISTER, token, { input: { ...mockRegistration(), idempotencyKey: reused } });
    expect(other).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    expect(await count('pii_vault', 'data_key')).toBe(keysBefore);
    // The key of a registration used for an erasure is another request too.
    const erase = await send(ERASE, token, { clientId: clientIdOf(first), key: reused });
    expect(erase).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
  });

  it("treats another caller's key as unused: their registration is neither returned nor repeated", async () => {
    const shared = key();
    const input = { ...mockRegistration(), idempotencyKey: shared };
    const first = await send(REGISTER, await clinicAdmin(), { input });
    expect(first.__typename).toBe('PatientRegistered');
    // The same request from another clinic is a new registration of details already registered.
    const replayed = await send(REGISTER, await clinicAdmin(), { input });
    expect(replayed).toMatchObject({ __typename: 'InvalidInput', field: 'email' });
    expect(JSON.stringify(replayed)).not.toContain(clientIdOf(first) as string);
    const own = await send(REGISTER, await clinicAdmin(), {
      input: { ...mockRegistration(), idempotencyKey: shared },
    });
    expect(own.__typename).toBe('PatientRegistered');
    expect(clientIdOf(own)).not.toBe(clientIdOf(first));
  });

  it('answers an identical retry with the first registration after the patient was erased', async () => {
    const token = await clinicAdmin();
    const input = { ...mockRegistration(), idempotencyKey: key() };
    const first = await send(REGISTER, token, { input });
    const erased = await send(ERASE, token, { clientId: clientIdOf(first), key: key() });
    expect(erased.__typename).toBe('PatientErased');
    expect(await send(REGISTER, token, { input })).toEqual(first);
  });

  it('keeps no personal detail, nor a plain hash of them, in the patients database', async () => {
    const token = await clinicAdmin();
    const details = mockRegistration();
    await send(REGISTER, token, { input: { ...details, idempotencyKey: key() } });
    const rows = await raw(
      'patients',
      'SELECT request_hash, outcome::text AS outcome FROM idempotency_record',
    );
    const text = JSON.stringify(rows).toLowerCase();
    for (const value of [details.email, details.familyName, details.address])
      expect(text).not.toContain(String(value).toLowerCase());
    // The phone's eight subscriber digits, spaced or not: a shorter piece (the fiction block's "5550")
    // turns up by chance in the hex of hashes and ids now and then.
    const subscriber = details.phone.replace(/\D/g, '').slice(-8);
    expect(subscriber).toMatch(/^\d{8}$/);
    expect(text).not.toMatch(new RegExp(`${subscriber.slice(0, 4)}\\s?${subscriber.slice(4)}`));
  });
});

describe('erasePatient', () => {
  async function registered(token: string): Promise<string> {
    const outcome = await send(REGISTER, token, { input: { ...mockRegistration(), idempotencyKey: key() } });
    return clientIdOf(outcome) as string;
  }

  it('answers three erasures sent at once alike', async () => {
    const token = await clinicAdmin();
    const clientId = await registered(token);
    const erasureKey = key();
    const answers = await atOnce(() => send(ERASE, token, { clientId, key: erasureKey }));
    expect(answers.map((answer) => answer.__typename)).toEqual(Array(3).fill('PatientErased'));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
  });

  it('refuses the same key for another patient, naming the key, and erases nobody', async () => {
    const token = await clinicAdmin();
    const [first, second] = [await registered(token), await registered(token)];
    const reused = key();
    expect((await send(ERASE, token, { clientId: first, key: reused })).__typename).toBe('PatientErased');
    expect(await send(ERASE, token, { clientId: second, key: reused })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'idempotencyKey',
    });
    const [row] = await raw('pii_vault', 'SELECT destroyed_at FROM data_key WHERE client_id = $1', [second]);
    expect(row?.['destroyed_at']).toBeNull();
  });

  it("treats another caller's key as unused", async () => {
    const shared = key();
    const mine = await clinicAdmin();
    const theirs = await clinicAdmin();
    const [a, b] = [await registered(mine), await registered(theirs)];
    expect((await send(ERASE, mine, { clientId: a, key: shared })).__typename).toBe('PatientErased');
    expect(await send(ERASE, theirs, { clientId: b, key: shared })).toMatchObject({
      __typename: 'PatientErased',
      clientId: b,
    });
  });

  it('answers an identical retry with the first erasure once the clinic no longer reaches the patient', async () => {
    const token = await clinicAdmin();
    const clientId = await registered(token);
    const erasureKey = key();
    const first = await send(ERASE, token, { clientId, key: erasureKey });
    expect(first.__typename).toBe('PatientErased');
    // The erasure ended the clinic's link; the retry still answers what happened.
    expect(await send(ERASE, token, { clientId, key: erasureKey })).toEqual(first);
  });
});
