import { randomUUID } from 'node:crypto';
import { metrics } from '@clinic/platform';
import { eventually, postGraphQLOverSse } from '@clinic/testing';
import { DateTime } from 'luxon';
import { startTestSystem, type TestSystem } from '../test-system';

/**
 * The doctors' entities kept at the gateway (gateway/src/response-cache/entity-cache.ts), seen from
 * outside: a page that misses the response cache finds the doctors of its slots without the doctors
 * subgraph reading its database (over HTTP and SSE alike, never across scopes), each slot still carries
 * its own doctor, and once a doctor's change is consumed the doctors are read again.
 */
let system: TestSystem;
let clinicId: string;
/** Days ahead on which the clinic has slots (no weekends in the seed), each a search of its own. */
const days: string[] = [];

beforeAll(async () => {
  system = await startTestSystem({ clinics: 2, doctors: 6, patients: 2, appointments: 0, days: 14 });
  const { body } = await system.graphql('{ clinics { id } }');
  clinicId = (body.data?.['clinics'] as { id: string }[])[0]!.id;
  // Found without a doctor's field, so nothing reaches the doctors subgraph or its entities yet.
  for (let ahead = 1; ahead < 14; ahead++) {
    const day = DateTime.now().setZone('Australia/Sydney').plus({ days: ahead }).toISODate();
    const { body: found } = await system.graphql(
      'query($f: AvailableSlotsFilter!) { availableSlots(filter: $f, first: 40) { edges { node { id } } } }',
      { variables: { f: { clinicId, fromDate: day, toDate: day } } },
    );
    if ((found.data?.['availableSlots'] as { edges: unknown[] }).edges.length >= 4) days.push(day!);
  }
  expect(days.length).toBeGreaterThanOrEqual(8);
}, 600_000);
afterAll(async () => system?.stop());

const PAGE = `query Page($f: AvailableSlotsFilter!) {
  availableSlots(filter: $f, first: 40) {
    edges { node { id start doctor { id name specialty status clinic { id name timeZone } } } }
  }
}`;
const DOCTOR = `query Doctor($id: ID!) { doctor(id: $id) { id name specialty status clinic { id name timeZone } } }`;

type Doctor = { id: string; name: string };

/** The page of a clinic's slots on its nth day with slots: each day is an answer of its own to the response cache. */
async function page(nth: number, token?: string): Promise<{ doctor: Doctor }[]> {
  const day = days[nth];
  const { body } = await system.graphql(PAGE, {
    variables: { f: { clinicId, fromDate: day, toDate: day } },
    ...(token ? { token } : {}),
  });
  expect(body.errors).toBeUndefined();
  return (body.data?.['availableSlots'] as { edges: { node: { doctor: Doctor } }[] }).edges.map(
    (edge) => edge.node,
  );
}

/**
 * Statements that read doctors or clinics since the last reset. The doctors service's outbox relay polls
 * the same database every 250 ms, so a slow run sees its statements too: they are not the entity reads.
 */
const doctorsRead = () =>
  (system.queries['doctors'] ?? []).filter((sql) => /"(doctor|clinic)"/.test(sql)).length;

/** Requests the gateway sent the doctors subgraph so far (graphql_subgraph_fetch_duration_seconds). */
async function doctorsFetches(): Promise<number> {
  const { values } = await metrics.subgraphFetchDuration.get();
  return values
    .filter(
      (value) =>
        value.labels['subgraph'] === 'doctors' &&
        (value as { metricName?: string }).metricName?.endsWith('_count'),
    )
    .reduce((sum, value) => sum + value.value, 0);
}

it('answers another page’s doctors without reading the doctors database, each slot with its own doctor', async () => {
  const atStart = await doctorsFetches();
  await page(0);
  system.resetQueries();
  const fetchesBefore = await doctorsFetches();
  expect(fetchesBefore).toBeGreaterThan(atStart);
  const slots = await page(1);
  expect(slots.length).toBeGreaterThan(1);
  expect(new Set(slots.map((slot) => slot.doctor.id)).size).toBeLessThan(slots.length);
  expect(doctorsRead()).toBe(0);
  // Nothing was sent, so no fetch of the doctors subgraph is timed.
  expect(await doctorsFetches()).toBe(fetchesBefore);
  // As each doctor reads on its own, in the doctors subgraph's own words.
  for (const id of new Set(slots.map((slot) => slot.doctor.id))) {
    const alone = await system.graphql(DOCTOR, { variables: { id } });
    for (const slot of slots.filter((each) => each.doctor.id === id))
      expect(slot.doctor).toEqual(alone.body.data?.['doctor']);
  }
});

it('reads the doctors again once a doctor’s change is consumed, and never shares them across scopes', async () => {
  // Asked once: an answer a caller got again lately is refreshed as soon as an event drops it (refresh-ahead),
  // and that refresh would read the doctors again before page 3 could.
  const doctorId = (await page(2))[0]!.doctor.id;
  const cache = system.responseCache!;
  expect(cache.size.entities).toBeGreaterThan(0);
  // A change the gateway hears of as doctor.availability-changed: it drops every entity it holds.
  let consumed = false;
  const apply = cache.apply.bind(cache);
  cache.apply = (event) => {
    apply(event);
    if (event.type === 'doctor.availability-changed') consumed = true;
  };
  try {
    const admin = await system.token({ role: 'SystemAdministrator', subject: 'entity-cache-admin' });
    const at = DateTime.now().plus({ days: 13 }).startOf('hour');
    const { body } = await system.graphql(
      `mutation($i: AddAvailabilityExceptionInput!) { addAvailabilityException(input: $i) { __typename } }`,
      {
        token: admin,
        variables: {
          i: {
            doctorId,
            startsAt: at.toISO(),
            endsAt: at.plus({ hours: 1 }).toISO(),
            kind: 'blocked',
            idempotencyKey: randomUUID(),
          },
        },
      },
    );
    expect(body.errors).toBeUndefined();
    await eventually(async () => (consumed ? true : undefined), 60_000);
    expect(cache.size.entities).toBe(0);
    system.resetQueries();
    await page(3);
    expect(doctorsRead()).toBeGreaterThan(0);
  } finally {
    cache.apply = apply;
  }
  // Held for the anonymous caller: a patient's page reads them for itself.
  await page(4);
  system.resetQueries();
  await page(4, await system.token({ role: 'Patient', subject: randomUUID() }));
  expect(doctorsRead()).toBeGreaterThan(0);
});

it('over SSE, the other transport, shares the doctors within a scope and never across scopes', async () => {
  const overSse = async (nth: number, token?: string) => {
    const day = days[nth];
    const { status, body } = await postGraphQLOverSse(system.gatewayUrl, PAGE, {
      variables: { f: { clinicId, fromDate: day, toDate: day } },
      ...(token ? { token } : {}),
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    return (body.data?.['availableSlots'] as { edges: { node: { doctor: Doctor } }[] }).edges.map(
      (edge) => edge.node,
    );
  };
  // The clinic's admin, a scope no earlier test used: its search over SSE reads the doctors (the other
  // scopes' entries are not shared) and keeps them, so its next pages, over HTTP and over SSE, read none.
  const admin = await system.token({ role: 'ClinicAdmin', subject: 'entity-cache-sse-admin', clinicId });
  system.resetQueries();
  await overSse(5, admin);
  expect(doctorsRead()).toBeGreaterThan(0);
  system.resetQueries();
  expect((await page(6, admin)).length).toBeGreaterThan(1);
  expect(doctorsRead()).toBe(0);
  expect((await overSse(7, admin)).length).toBeGreaterThan(1);
  expect(doctorsRead()).toBe(0);
  // A system administrator's search over SSE reads them for itself, and they answer as the doctors
  // subgraph does.
  const systemAdmin = await system.token({
    role: 'SystemAdministrator',
    subject: 'entity-cache-sse-sysadmin',
  });
  system.resetQueries();
  const slots = await overSse(6, systemAdmin);
  expect(doctorsRead()).toBeGreaterThan(0);
  for (const id of new Set(slots.map((slot) => slot.doctor.id))) {
    const alone = await system.graphql(DOCTOR, { variables: { id }, token: systemAdmin });
    for (const slot of slots.filter((each) => each.doctor.id === id))
      expect(slot.doctor).toEqual(alone.body.data?.['doctor']);
  }
});
