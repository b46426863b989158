import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { startTestSystem, type GraphQLResponse, type TestSystem } from '../test-system';
import { connectDoctorsDatabase, type DoctorsDatabase } from '../../subgraphs/doctors/src/database';

// Through the gateway: dates far from today (leave in 1900, a rule valid until 2100) are refused with a
// typed answer naming the field, and nothing is stored or republished.
let system: TestSystem;
let doctors: DoctorsDatabase;
let doctorId: string;
let admin: string;

beforeAll(async () => {
  system = await startTestSystem({ clinics: 1, doctors: 1, patients: 1, appointments: 0, days: 7 });
  doctors = connectDoctorsDatabase(system.databaseUrls.doctors);
  const doctor = await doctors.doctor.findFirstOrThrow({ include: { clinic: true } });
  doctorId = doctor.id;
  admin = await system.token({ role: 'ClinicAdmin', subject: 'staff-admin-1', clinicId: doctor.clinicId });
}, 180_000);
afterAll(async () => {
  await doctors?.$disconnect();
  await system?.stop();
});

const now = () => DateTime.utc();

async function addException(startsAt: DateTime, endsAt: DateTime): Promise<unknown> {
  const { body } = await system.graphql(
    `mutation($input: AddAvailabilityExceptionInput!) {
      addAvailabilityException(input: $input) { __typename ... on InvalidInput { field } }
    }`,
    {
      token: admin,
      variables: {
        input: {
          doctorId,
          startsAt: startsAt.toISO(),
          endsAt: endsAt.toISO(),
          kind: 'leave',
          idempotencyKey: `window-${randomUUID()}`,
        },
      },
    },
  );
  return body.data?.['addAvailabilityException'];
}

async function setRules(validity: { validFrom?: string; validUntil?: string }): Promise<unknown> {
  const { body } = await system.graphql(
    `mutation($input: SetAvailabilityRulesInput!) {
      setAvailabilityRules(input: $input) { __typename ... on InvalidInput { field } }
    }`,
    {
      token: admin,
      variables: {
        input: {
          doctorId,
          idempotencyKey: `window-${randomUUID()}`,
          rules: [{ weekday: 2, startLocal: '09:00', endLocal: '12:00', slotMinutes: 30, ...validity }],
        },
      },
    },
  );
  return body.data?.['setAvailabilityRules'];
}

describe('addAvailabilityException', () => {
  it('refuses leave that has already ended (in 1900, in 2001, last week), storing and publishing nothing', async () => {
    const outbox = await doctors.outboxEvent.count();
    const ended = [
      [DateTime.fromISO('1900-03-01T00:00:00Z'), DateTime.fromISO('1900-03-08T00:00:00Z')],
      [DateTime.fromISO('2001-01-01T00:00:00Z'), DateTime.fromISO('2001-01-02T00:00:00Z')],
      [now().minus({ days: 8 }), now().minus({ days: 1 })],
    ] as const;
    for (const [startsAt, endsAt] of ended) {
      expect(await addException(startsAt, endsAt)).toEqual({ __typename: 'InvalidInput', field: 'endsAt' });
    }
    expect(await doctors.availabilityException.count({ where: { doctorId } })).toBe(0);
    expect(await doctors.outboxEvent.count()).toBe(outbox);
  });

  it('refuses an exception that ends more than two years ahead', async () => {
    const startsAt = now().plus({ years: 2, days: 10 });
    expect(await addException(startsAt, startsAt.plus({ days: 5 }))).toEqual({
      __typename: 'InvalidInput',
      field: 'endsAt',
    });
  });

  it('accepts leave that began yesterday and ends tomorrow, and leave a year and a half ahead', async () => {
    expect(await addException(now().minus({ days: 1 }), now().plus({ days: 1 }))).toEqual({
      __typename: 'AvailabilityExceptionAdded',
    });
    const later = now().plus({ months: 18 });
    expect(await addException(later, later.plus({ weeks: 2 }))).toEqual({
      __typename: 'AvailabilityExceptionAdded',
    });
  });
});

describe('setAvailabilityRules', () => {
  it('refuses validity dates more than two years from today, naming the rule and the field', async () => {
    const before = await doctors.availabilityRule.findMany({ where: { doctorId } });
    expect(await setRules({ validFrom: '1900-01-01' })).toEqual({
      __typename: 'InvalidInput',
      field: 'rules.0.validFrom',
    });
    expect(await setRules({ validUntil: '2100-12-31' })).toEqual({
      __typename: 'InvalidInput',
      field: 'rules.0.validUntil',
    });
    const tooLate = now().plus({ years: 2, days: 5 }).toISODate() ?? '';
    expect(await setRules({ validFrom: tooLate })).toEqual({
      __typename: 'InvalidInput',
      field: 'rules.0.validFrom',
    });
    expect(await doctors.availabilityRule.findMany({ where: { doctorId } })).toEqual(before);
  });

  it('accepts a rule valid from last year until next year', async () => {
    const validity = {
      validFrom: now().minus({ years: 1 }).toISODate() ?? '',
      validUntil: now().plus({ years: 1 }).toISODate() ?? '',
    };
    expect(await setRules(validity)).toEqual({ __typename: 'AvailabilityRulesSet' });
  });
});

describe('availabilityExceptions', () => {
  const query = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
    availabilityExceptions(doctorId: $id, from: $from, to: $to) { kind }
  }`;
  const list = (from: DateTime, to: DateTime) =>
    system.graphql(query, { token: admin, variables: { id: doctorId, from: from.toISO(), to: to.toISO() } });

  it('refuses a range reaching more than two years from today with BAD_USER_INPUT', async () => {
    for (const [from, to] of [
      [DateTime.fromISO('1900-01-01T00:00:00Z'), now()],
      [now(), now().plus({ years: 3 })],
      [DateTime.fromISO('2100-01-01T00:00:00Z'), DateTime.fromISO('2100-02-01T00:00:00Z')],
    ] as const) {
      const { status, body } = await list(from, to);
      expect(status).toBe(200);
      expect(body.data?.['availabilityExceptions'] ?? null).toBeNull();
      expect(body.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(withoutCorrelationIds(body.errors))).not.toMatch(/1900|2100|T00:00/);
    }
  });

  it('lists exceptions in a range within the window', async () => {
    const { body } = await list(now().minus({ years: 1 }), now().plus({ years: 2 }).minus({ days: 1 }));
    expect(body.errors).toBeUndefined();
    expect(Array.isArray(body.data?.['availabilityExceptions'])).toBe(true);
  });
});

// A correlation id is random hex and may hold "2100" by chance; only what the server says about the input counts.
function withoutCorrelationIds(errors: GraphQLResponse['body']['errors']): unknown {
  return errors?.map(({ extensions, ...rest }) => {
    const { correlationId: _random, ...kept } = extensions ?? {};
    return { ...rest, extensions: kept };
  });
}
