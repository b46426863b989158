import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { startTestSystem, type TestSystem } from '../test-system';

let system: TestSystem;
let patientId: string;

beforeAll(async () => {
  system = await startTestSystem();
  const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
  patientId = (await db.appointment.findFirstOrThrow({ orderBy: { start: 'asc' } })).clientId;
  await db.$disconnect();
}, 600_000);
afterAll(() => system?.stop());

const crossGraph = `query MyAppointments {
  appointments(first: 10) {
    id start clientId
    slot { start status }
    doctor { name clinic { name timeZone } }
    patient { clientId }
    history { action }
  }
}`;

describe('federated queries through the gateway', () => {
  it("serves a patient's appointments with fields from all four subgraphs", async () => {
    const token = await system.token({ role: 'Patient', subject: patientId });
    const { status, body } = await system.graphql(crossGraph, { token });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const appointments = body.data?.['appointments'] as {
      clientId: string;
      slot: { status: string };
      doctor: { name: string; clinic: { name: string; timeZone: string } };
      patient: { clientId: string };
      history: unknown[];
    }[];
    expect(appointments.length).toBeGreaterThan(0);
    for (const appointment of appointments) {
      expect(appointment.clientId).toBe(patientId);
      expect(appointment.patient.clientId).toBe(patientId);
      expect(appointment.slot.status).toBe('busy');
      expect(appointment.doctor.name).toMatch(/^Dr \S+/);
      expect(appointment.doctor.clinic.timeZone).toMatch(/^Australia\//);
      expect(Array.isArray(appointment.history)).toBe(true);
    }
  });

  it('shows an anonymous caller clinics, doctors and free slots, and nothing private', async () => {
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 14 * 864e5).toISOString();
    const publicData = await system.graphql(
      `query($from: DateTime!, $to: DateTime!) {
        clinics { name doctors { name } }
        freeSlots(from: $from, to: $to, first: 5) { id status doctor { name clinic { name } freeSlots(days: 14) { id } } }
      }`,
      { variables: { from, to } },
    );
    expect(publicData.body.errors).toBeUndefined();
    const slots = publicData.body.data?.['freeSlots'] as { status: string }[];
    expect(slots).toHaveLength(5);
    expect(slots.every((slot) => slot.status === 'free')).toBe(true);

    const privateData = await system.graphql('{ appointments { id } }');
    expect(privateData.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const profile = await system.graphql(`{ appointments { patient { profile { email } } } }`, {
      token: await system.token({ role: 'SystemAdministrator', subject: 'staff-1' }),
    });
    expect(profile.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('costs one database query per entity type for a page of 50 appointments', async () => {
    const token = await system.token({ role: 'SystemAdministrator', subject: 'staff-1' });
    system.resetQueries();
    const { body } = await system.graphql(
      `{ appointments(first: 50) { id slot { start } doctor { name specialty clinic { name } } patient { clientId preferredChannel } } }`,
      { token },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.['appointments']).toHaveLength(50);
    const tables = Object.values(system.queries)
      .flat()
      .flatMap((sql) => [...sql.matchAll(/FROM "public"\."(\w+)"/g)].map((match) => match[1]));
    const perTable = Object.fromEntries(
      [...new Set(tables)].map((table) => [table, tables.filter((t) => t === table).length]),
    );
    // Clinics come with their doctors, joined in the doctors' one statement.
    expect(perTable).toEqual({ appointment: 1, slot: 1, doctor: 1, patient: 1 });
    const doctorStatement = Object.values(system.queries)
      .flat()
      .filter((sql) => sql.includes('FROM "public"."doctor"'));
    expect(doctorStatement).toEqual([expect.stringContaining('JOIN "public"."clinic"')]);
  });
});

describe('bad input gets a clear, coded error and no stack trace', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it.each([
    ['malformed JSON', () => post('{"query": "{ clinics { name } "'), 400, 'BAD_REQUEST'],
    [
      'unknown field',
      () => post(JSON.stringify({ query: '{ clinics { nope } }' })),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    ['syntax error', () => post(JSON.stringify({ query: '{ clinics { ' })), 400, 'GRAPHQL_PARSE_FAILED'],
    [
      'wrong variable type',
      () =>
        post(
          JSON.stringify({
            query: 'query($id: ID!) { clinic(id: $id) { name } }',
            variables: { id: { no: 1 } },
          }),
        ),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'invalid token',
      () => post(JSON.stringify({ query: '{ clinics { name } }' }), { authorization: 'Bearer a.b.c' }),
      401,
      'UNAUTHENTICATED',
    ],
    [
      'not a bearer token',
      () => post(JSON.stringify({ query: '{ clinics { name } }' }), { authorization: 'Basic eDp5' }),
      401,
      'UNAUTHENTICATED',
    ],
  ])('%s', async (_name, send, status, code) => {
    const response = await send();
    const text = await response.text();
    expect(response.status).toBe(status);
    const body = JSON.parse(text) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.extensions['code']).toBe(code);
    expect(body.errors[0]?.message.length).toBeGreaterThan(5);
    expect(text).not.toMatch(/stacktrace|\s+at\s+\S+\s+\(|node_modules/);
  });

  it('finds a slot, a doctor and a clinic by an id written in capitals, as PostgreSQL matches a uuid', async () => {
    const found = await system.graphql(
      `query($from: DateTime!, $to: DateTime!) { freeSlots(from: $from, to: $to, first: 1) { id doctor { id clinic { id } } } }`,
      { variables: { from: new Date().toISOString(), to: new Date(Date.now() + 14 * 864e5).toISOString() } },
    );
    const [slot] = found.body.data?.['freeSlots'] as {
      id: string;
      doctor: { id: string; clinic: { id: string } };
    }[];
    const byId = `query($slot: ID!, $doctor: ID!, $clinic: ID!) {
      slot(id: $slot) { id } doctor(id: $doctor) { id } clinic(id: $clinic) { id }
    }`;
    const ids = { slot: slot!.id, doctor: slot!.doctor.id, clinic: slot!.doctor.clinic.id };
    const lower = await system.graphql(byId, { variables: ids });
    const upper = await system.graphql(byId, {
      variables: Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, id.toUpperCase()])),
    });
    expect(lower.body.data).toEqual({
      slot: { id: ids.slot },
      doctor: { id: ids.doctor },
      clinic: { id: ids.clinic },
    });
    expect(upper.body).toEqual(lower.body);
  });

  it('refuses an expired token', async () => {
    const token = await system.token(
      { role: 'SystemAdministrator', subject: 'staff-1' },
      Math.floor(Date.now() / 1000) - 600,
    );
    const { status, body } = await system.graphql('{ appointments { id } }', { token });
    expect(status).toBe(401);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/expired/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses a token signed by another key', async () => {
    const forged =
      'eyJhbGciOiJFUzI1NiJ9.eyJyb2xlIjoiU3lzdGVtQWRtaW5pc3RyYXRvciIsImlzcyI6InVybjpjbGluaWMtc2NoZWR1bGluZzpkZXYtaXNzdWVyIiwiYXVkIjoiY2xpbmljLXNjaGVkdWxpbmctYXBpIiwic3ViIjoic3RhZmYtc3lzYWRtaW4tMSIsImlhdCI6MTc5NTUyMjcwMywiZXhwIjo0MTAyNDQ0ODAwfQ.80Tl7TodXvogfRuoUiH7L3nY3ml2FlXCOPq9mvaV0imYpykTRWfW989vw58lka3-XrOAO0Wct6e0PwCXkr3iHQ';
    const { status, body } = await system.graphql('{ appointments { id } }', { token: forged });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('operations', () => {
  it('answers /healthz and reports every subgraph and database in /readyz, as dependencies', async () => {
    const health = await fetch(new URL('/healthz', system.gatewayUrl));
    expect(health.status).toBe(200);
    const ready = await fetch(new URL('/readyz', system.gatewayUrl));
    const body = (await ready.json()) as { status: string; dependencies: Record<string, string> };
    expect(ready.status).toBe(200);
    expect(body.status).toBe('ready');
    for (const name of ['doctors', 'appointments', 'patients', 'audit'])
      expect(body.dependencies[`subgraph:${name}`]).toBe('ok');
    for (const name of ['doctors', 'appointments', 'patients', 'pii_vault', 'audit'])
      expect(body.dependencies[`database:${name}`]).toBe('ok');
  });

  it('accepts a correlation id, or makes one, and returns it', async () => {
    const given = await system.graphql('{ clinics { id } }', {
      headers: { 'x-correlation-id': 'req-abc-123' },
    });
    expect(given.headers.get('x-correlation-id')).toBe('req-abc-123');
    const made = await system.graphql('{ clinics { id } }', {
      headers: { 'x-correlation-id': 'not ok; <script>' },
    });
    expect(made.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
