import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases, type TestDatabases } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import { mockRegistration as mockDetails } from '../../subgraphs/patients/src/vault/testing/vault-test-bed';

/**
 * Retries of the clinic-access mutations through the gateway on real PostgreSQL: a patient tapping
 * "make a code" twice, reception pressing enter twice, a key reused by mistake, another caller's key.
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

async function raw(sql: string, values: unknown[] = []) {
  const client = new Client({ connectionString: databases.urls.patients });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

const CREATE = `mutation($key: String!) { createClinicAccessCode(idempotencyKey: $key) {
  __typename ... on ClinicAccessCode { code expiresAt } ... on InvalidInput { field message }
  ... on NotAllowed { message } } }`;
const REDEEM = `mutation($code: String!, $key: String!) { redeemClinicAccessCode(code: $code, idempotencyKey: $key) {
  __typename ... on ClinicAccessGranted { patient { clientId } } ... on ClinicAccessCodeRefused { reason message }
  ... on InvalidInput { field message } ... on NotAllowed { message } } }`;
const REVOKE = `mutation($clinicId: ID!, $key: String!) { revokeClinicAccess(clinicId: $clinicId, idempotencyKey: $key) {
  __typename ... on ClinicAccessRevoked { clinicId } ... on InvalidInput { field message }
  ... on NotAllowed { message } } }`;
const REGISTER = `mutation($input: RegisterPatientInput!) { registerPatient(input: $input) {
  __typename ... on PatientRegistered { patient { clientId } } } }`;

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
const atOnce = <T>(request: () => Promise<T>, times = 3) =>
  Promise.all(Array.from({ length: times }, request));
const reception = (clinicId: string = randomUUID()) =>
  system.token({ role: 'ClinicAdmin', subject: `staff-${randomUUID()}`, clinicId });

/** A newly registered patient (registered by a system administrator, so no clinic reaches them yet). */
async function newPatient(): Promise<{ clientId: string; token: string }> {
  const admin = await system.token({ role: 'SystemAdministrator', subject: 'ops-1' });
  const outcome = await send(REGISTER, admin, { input: { ...mockRegistration(), idempotencyKey: key() } });
  const clientId = (outcome['patient'] as { clientId: string }).clientId;
  return { clientId, token: await system.token({ role: 'Patient', subject: clientId }) };
}

const linked = async (clientId: string, clinicId: string) =>
  (await raw('SELECT 1 FROM patient_clinic WHERE client_id = $1 AND clinic_id = $2', [clientId, clinicId]))
    .length === 1;

async function code(token: string): Promise<string> {
  const made = await send(CREATE, token, { key: key() });
  return made['code'] as string;
}

describe('createClinicAccessCode', () => {
  it('answers three taps at once with one code, which works, and keeps it nowhere in clear', async () => {
    const patient = await newPatient();
    const codeKey = key();
    const answers = await atOnce(() => send(CREATE, patient.token, { key: codeKey }));
    expect(answers.map((answer) => answer.__typename)).toEqual(Array(3).fill('ClinicAccessCode'));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    const made = answers[0]?.['code'] as string;
    expect(
      await raw('SELECT 1 FROM clinic_access_code WHERE client_id = $1', [patient.clientId]),
    ).toHaveLength(1);
    const records = JSON.stringify(await raw('SELECT * FROM idempotency_record'));
    expect(records).not.toContain(made);
    const clinicId = randomUUID();
    expect(await send(REDEEM, await reception(clinicId), { code: made, key: key() })).toMatchObject({
      __typename: 'ClinicAccessGranted',
    });
  });

  it('refuses its key for another mutation, naming the key', async () => {
    const patient = await newPatient();
    const reused = key();
    expect((await send(CREATE, patient.token, { key: reused })).__typename).toBe('ClinicAccessCode');
    expect(await send(REVOKE, patient.token, { clinicId: randomUUID(), key: reused })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'idempotencyKey',
    });
  });

  it("treats another patient's key as unused: they get a code of their own", async () => {
    const shared = key();
    const [mine, theirs] = [await newPatient(), await newPatient()];
    const first = await send(CREATE, mine.token, { key: shared });
    const second = await send(CREATE, theirs.token, { key: shared });
    expect(second.__typename).toBe('ClinicAccessCode');
    expect(second['code']).not.toBe(first['code']);
    const granted = await send(REDEEM, await reception(), { code: second['code'], key: key() });
    expect((granted['patient'] as { clientId: string }).clientId).toBe(theirs.clientId);
  });

  it('answers an identical retry with the first code after it was used', async () => {
    const patient = await newPatient();
    const codeKey = key();
    const first = await send(CREATE, patient.token, { key: codeKey });
    await send(REDEEM, await reception(), { code: first['code'], key: key() });
    expect(await send(CREATE, patient.token, { key: codeKey })).toEqual(first);
    // The retry made no new code: the patient has none live.
    expect(await raw('SELECT 1 FROM clinic_access_code WHERE client_id = $1', [patient.clientId])).toEqual(
      [],
    );
  });
});

describe('redeemClinicAccessCode', () => {
  it('grants three presses of enter at once alike (not one grant and two INVALID_CODE)', async () => {
    const patient = await newPatient();
    const made = await code(patient.token);
    const token = await reception();
    const redeemKey = key();
    const answers = await atOnce(() => send(REDEEM, token, { code: made, key: redeemKey }));
    expect(answers.map((answer) => answer.__typename)).toEqual(Array(3).fill('ClinicAccessGranted'));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
  });

  it('counts one wrong code sent three times at once under one key once', async () => {
    const clinicId = randomUUID();
    const token = await reception(clinicId);
    const wrongKey = key();
    const answers = await atOnce(() => send(REDEEM, token, { code: '2222 2222', key: wrongKey }));
    expect(answers.map((answer) => answer['reason'])).toEqual(Array(3).fill('INVALID_CODE'));
    expect(await raw('SELECT 1 FROM access_code_failure WHERE clinic_id = $1', [clinicId])).toHaveLength(1);
  });

  it('refuses the same key with another code, naming the key, and links nobody', async () => {
    const [a, b] = [await newPatient(), await newPatient()];
    const clinicId = randomUUID();
    const token = await reception(clinicId);
    const reused = key();
    expect((await send(REDEEM, token, { code: await code(a.token), key: reused })).__typename).toBe(
      'ClinicAccessGranted',
    );
    expect(await send(REDEEM, token, { code: await code(b.token), key: reused })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'idempotencyKey',
    });
    expect(await linked(b.clientId, clinicId)).toBe(false);
  });

  it("treats another clinic's key as unused: a spent code is refused to them", async () => {
    const patient = await newPatient();
    const made = await code(patient.token);
    const shared = key();
    expect((await send(REDEEM, await reception(), { code: made, key: shared })).__typename).toBe(
      'ClinicAccessGranted',
    );
    const otherClinic = randomUUID();
    expect(await send(REDEEM, await reception(otherClinic), { code: made, key: shared })).toMatchObject({
      __typename: 'ClinicAccessCodeRefused',
      reason: 'INVALID_CODE',
    });
    expect(await linked(patient.clientId, otherClinic)).toBe(false);
  });

  it('answers an identical retry with the first grant after the patient revoked it', async () => {
    const patient = await newPatient();
    const made = await code(patient.token);
    const clinicId = randomUUID();
    const token = await reception(clinicId);
    const redeemKey = key();
    const first = await send(REDEEM, token, { code: made, key: redeemKey });
    expect(first.__typename).toBe('ClinicAccessGranted');
    await send(REVOKE, patient.token, { clinicId, key: key() });
    expect(await send(REDEEM, token, { code: made, key: redeemKey })).toEqual(first);
    // Answering is all it does: the revoked link stays ended.
    expect(await linked(patient.clientId, clinicId)).toBe(false);
  });
});

describe('revokeClinicAccess', () => {
  async function linkedPatient(clinicId: string) {
    const patient = await newPatient();
    await send(REDEEM, await reception(clinicId), { code: await code(patient.token), key: key() });
    return patient;
  }

  it('answers three revocations at once alike and ends the link once', async () => {
    const clinicId = randomUUID();
    const patient = await linkedPatient(clinicId);
    const revokeKey = key();
    const answers = await atOnce(() => send(REVOKE, patient.token, { clinicId, key: revokeKey }));
    expect(answers).toEqual(Array(3).fill({ __typename: 'ClinicAccessRevoked', clinicId }));
    expect(await linked(patient.clientId, clinicId)).toBe(false);
    const events = await raw(
      `SELECT 1 FROM outbox WHERE aggregate_id = $1 AND envelope->>'type' = 'patient.clinic-unlinked'`,
      [patient.clientId],
    );
    expect(events).toHaveLength(1);
  });

  it('refuses the same key for another clinic, naming the key, and ends nothing', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const patient = await linkedPatient(first);
    await send(REDEEM, await reception(second), { code: await code(patient.token), key: key() });
    const reused = key();
    expect((await send(REVOKE, patient.token, { clinicId: first, key: reused })).__typename).toBe(
      'ClinicAccessRevoked',
    );
    expect(await send(REVOKE, patient.token, { clinicId: second, key: reused })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'idempotencyKey',
    });
    expect(await linked(patient.clientId, second)).toBe(true);
  });

  it("treats another patient's key as unused", async () => {
    const clinicId = randomUUID();
    const [mine, theirs] = [await linkedPatient(clinicId), await linkedPatient(clinicId)];
    const shared = key();
    await send(REVOKE, mine.token, { clinicId, key: shared });
    expect(await send(REVOKE, theirs.token, { clinicId, key: shared })).toEqual({
      __typename: 'ClinicAccessRevoked',
      clinicId,
    });
    expect(await linked(theirs.clientId, clinicId)).toBe(false);
  });

  it('answers an identical retry with the first answer and leaves a link granted again since', async () => {
    const clinicId = randomUUID();
    const patient = await linkedPatient(clinicId);
    const revokeKey = key();
    const first = await send(REVOKE, patient.token, { clinicId, key: revokeKey });
    await send(REDEEM, await reception(clinicId), { code: await code(patient.token), key: key() });
    expect(await linked(patient.clientId, clinicId)).toBe(true);
    expect(await send(REVOKE, patient.token, { clinicId, key: revokeKey })).toEqual(first);
    expect(await linked(patient.clientId, clinicId)).toBe(true);
  });
});
