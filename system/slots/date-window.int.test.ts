import { DateTime } from 'luxon';
import { startTestSystem, type GraphQLResponse, type TestSystem } from '../test-system';

// Through the gateway: the slot searches refuse date ranges far from today (1900, 2100, the year 9999) with
// BAD_USER_INPUT, never an internal error, and without echoing the dates.
let system: TestSystem;
let doctorId: string;

beforeAll(async () => {
  system = await startTestSystem({ clinics: 1, doctors: 1, patients: 1, appointments: 0, days: 7 });
  const { body } = await system.graphql('{ clinics { doctors { id } } }');
  const clinics = body.data?.['clinics'] as { doctors: { id: string }[] }[];
  doctorId = clinics[0]?.doctors[0]?.id ?? '';
}, 600_000);
afterAll(async () => system?.stop());

const today = () => DateTime.utc().startOf('day');

function expectRefused({ status, body }: GraphQLResponse): void {
  expect(status).toBeLessThan(500);
  expect(body.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  expect(JSON.stringify(withoutCorrelationIds(body.errors))).not.toMatch(/1900|2100|9999|T00:00/);
}

const availableSlots = (fromDate: string, toDate: string) =>
  system.graphql(
    'query($f: AvailableSlotsFilter!) { availableSlots(filter: $f, first: 5) { edges { node { id } } } }',
    { variables: { f: { fromDate, toDate, timeZone: 'Australia/Sydney' } } },
  );
const freeSlots = (from: string, to: string) =>
  system.graphql('query($f: DateTime!, $t: DateTime!) { freeSlots(from: $f, to: $t, first: 5) { id } }', {
    variables: { f: from, t: to },
  });
const doctorFreeSlots = (from: string, days: number) =>
  system.graphql(
    'query($id: ID!, $f: DateTime, $d: Int) { doctor(id: $id) { freeSlots(from: $f, days: $d) { id } } }',
    { variables: { id: doctorId, f: from, d: days } },
  );

describe('availableSlots', () => {
  it('refuses calendar days more than two years from today', async () => {
    expectRefused(await availableSlots('1900-01-01', '1900-01-07'));
    const later = today().plus({ years: 3 });
    expectRefused(await availableSlots(later.toISODate() ?? '', later.plus({ days: 6 }).toISODate() ?? ''));
  });

  it('answers for days within the window', async () => {
    const { body } = await availableSlots(
      today().toISODate() ?? '',
      today().plus({ days: 6 }).toISODate() ?? '',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.['availableSlots']).toBeDefined();
  });
});

describe('freeSlots', () => {
  it('refuses a window more than two years from today', async () => {
    expectRefused(await freeSlots('1900-01-01T00:00:00Z', '1900-01-08T00:00:00Z'));
    expectRefused(await freeSlots('2100-01-01T00:00:00Z', '2100-01-08T00:00:00Z'));
    const later = today().plus({ years: 3 });
    expectRefused(await freeSlots(later.toISO() ?? '', later.plus({ days: 7 }).toISO() ?? ''));
  });

  it('answers for a window within two years', async () => {
    const { body } = await freeSlots(today().toISO() ?? '', today().plus({ days: 7 }).toISO() ?? '');
    expect(body.errors).toBeUndefined();
    expect(Array.isArray(body.data?.['freeSlots'])).toBe(true);
  });
});

describe('Doctor.freeSlots', () => {
  it('refuses a start more than two years from today, even one whose window passes the year 9999', async () => {
    expectRefused(await doctorFreeSlots('1900-01-01T00:00:00Z', 7));
    expectRefused(await doctorFreeSlots('9999-12-28T00:00:00Z', 7));
    expectRefused(await doctorFreeSlots(today().plus({ years: 3 }).toISO() ?? '', 7));
  });

  it('answers for a start within two years', async () => {
    const { body } = await doctorFreeSlots(today().toISO() ?? '', 7);
    expect(body.errors).toBeUndefined();
    expect(body.data?.['doctor']).toMatchObject({ freeSlots: expect.any(Array) });
  });
});

// A correlation id is random hex and may hold "2100" by chance; only what the server says about the input counts.
function withoutCorrelationIds(errors: GraphQLResponse['body']['errors']): unknown {
  return errors?.map(({ extensions, ...rest }) => {
    const { correlationId: _random, ...kept } = extensions ?? {};
    return { ...rest, extensions: kept };
  });
}
