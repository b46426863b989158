import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import { metrics } from '@clinic/platform';
import { eventually, realInfra } from '@clinic/testing';
import { DateTime } from 'luxon';
import { startTestSystemOnRealPostgres } from '../test-system';
import {
  connectAppointmentsDatabase,
  type AppointmentsDatabase,
} from '../../subgraphs/appointments/src/database';

/**
 * The response cache's promise, tried the way users break it: 1,000 random bookings, holds, cancellations,
 * reschedulings and leaves through the gateway on real Kafka and PostgreSQL, with readers searching
 * availability all along. Every read that starts after the gateway consumed a slot's change must reflect
 * that change (or a later one): never an answer from before it.
 */
let system: Awaited<ReturnType<typeof startTestSystemOnRealPostgres>>;
let db: AppointmentsDatabase;
let clinicId: string;
let doctors: string[];
let admin: string;
const ZONE = 'Australia/Sydney';
// Two working days far enough ahead that no slot in them starts during the test.
let fromDate: string;
let toDate: string;

/** Every slot.changed the gateway consumed, in the order it consumed them (the cache saw each first). */
const consumed: { slotId: string; free: boolean }[] = [];

beforeAll(async () => {
  system = await startTestSystemOnRealPostgres(
    { clinics: 1, doctors: 3, patients: 5, appointments: 0, days: 10 },
    {
      KAFKA_BROKERS: realInfra().kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: `fresh-reads-${randomUUID()}.`,
      // No hold lapses unannounced during the run (a lapsed hold reads as free before its event).
      HOLD_MINUTES: '120',
    },
  );
  const cache = system.responseCache;
  if (!cache) throw new Error('the gateway runs with its response cache on by default');
  const apply = cache.apply.bind(cache);
  cache.apply = (event: EventEnvelope) => {
    if (event.type === 'slot.changed') {
      const { slotId, status } = (event as EventEnvelope<'slot.changed'>).payload;
      consumed.push({ slotId, free: status === 'free' });
    }
    apply(event);
  };
  db = connectAppointmentsDatabase(system.databaseUrls.appointments);
  clinicId = (await db.slot.findFirstOrThrow()).clinicId;
  doctors = (await db.slot.findMany({ distinct: ['doctorId'], orderBy: { doctorId: 'asc' } })).map(
    (slot) => slot.doctorId,
  );
  admin = await system.token({ role: 'ClinicAdmin', subject: 'staff-admin-1', clinicId });
  const first = await db.slot.findFirstOrThrow({
    where: { start: { gt: new Date(Date.now() + 36 * 3_600_000) } },
    orderBy: { start: 'asc' },
  });
  const day = DateTime.fromJSDate(first.start).setZone(ZONE);
  fromDate = day.toISODate() as string;
  toDate = day.plus({ days: 1 }).toISODate() as string;
  await eventually(async () => (cache.trusted ? true : undefined), 60_000);
}, 600_000);
afterAll(async () => {
  await db?.$disconnect();
  await system?.stop();
});

const SEARCH = `query($f: AvailableSlotsFilter!) {
  availableSlots(filter: $f, first: 200) { edges { node { id status } } pageInfo { hasNextPage } }
}`;

async function search(doctorId: string, token?: string): Promise<Set<string>> {
  const { status, body } = await system.graphql(SEARCH, {
    ...(token ? { token } : {}),
    variables: { f: { doctorId, fromDate, toDate, timeZone: ZONE } },
  });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  const page = body.data?.['availableSlots'] as {
    edges: { node: { id: string } }[];
    pageInfo: { hasNextPage: boolean };
  };
  expect(page.pageInfo.hasNextPage).toBe(false);
  return new Set(page.edges.map(({ node }) => node.id));
}

async function mutate(name: string, token: string, input: Record<string, unknown>): Promise<string> {
  const type = `${name[0]?.toUpperCase()}${name.slice(1)}Input`;
  const { body } = await system.graphql(
    `mutation($input: ${type}!) { ${name}(input: $input) { __typename } }`,
    { token, variables: { input: { ...input, idempotencyKey: `fresh-${randomUUID()}` } } },
  );
  expect(body.errors).toBeUndefined();
  return (body.data?.[name] as { __typename: string }).__typename;
}

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

it('never answers a search from before a change the gateway has consumed (1,000 random changes)', async () => {
  const windowStart = DateTime.fromISO(fromDate, { zone: ZONE }).toJSDate();
  const windowEnd = DateTime.fromISO(toDate, { zone: ZONE }).plus({ days: 1 }).toJSDate();
  const inWindow = await db.slot.findMany({
    where: { doctorId: { in: doctors }, start: { gte: windowStart, lt: windowEnd } },
  });
  expect(inWindow.length).toBeGreaterThan(20);
  const initial = new Map(inWindow.map((slot) => [slot.id, slot.status === 'free']));
  const doctorOf = new Map(inWindow.map((slot) => [slot.id, slot.doctorId]));
  const patients = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const clientId = randomUUID();
      return { clientId, token: await system.token({ role: 'Patient', subject: clientId }) };
    }),
  );
  const booked: { id: string; token: string }[] = [];
  const reads: { doctorId: string; seen: number; free: Set<string> }[] = [];
  let writing = true;

  const freeSlotIds = async () =>
    (
      await db.slot.findMany({
        where: { id: { in: [...initial.keys()] }, status: 'free' },
        select: { id: true },
      })
    ).map((slot) => slot.id);
  let operations = 0;
  const writer = async () => {
    while (operations < 1_000) {
      operations++;
      const patient = pick(patients)!;
      const roll = Math.random();
      if (roll < 0.02) {
        // A leave of a few hours: the doctor's slots go busy-unavailable, appointments move or wait.
        const doctorId = pick(doctors)!;
        const startsAt = DateTime.fromJSDate(windowStart).plus({ hours: 8 + Math.floor(Math.random() * 24) });
        const { body } = await system.graphql(
          `mutation($input: AddAvailabilityExceptionInput!) { addAvailabilityException(input: $input) { __typename } }`,
          {
            token: admin,
            variables: {
              input: {
                doctorId,
                startsAt: startsAt.toISO(),
                endsAt: startsAt.plus({ hours: 2 }).toISO(),
                kind: 'leave',
                reasonCode: 'annual-leave',
                idempotencyKey: `fresh-${randomUUID()}`,
              },
            },
          },
        );
        expect(body.errors).toBeUndefined();
      } else if (roll < 0.5 || booked.length === 0) {
        const slotId = pick(await freeSlotIds());
        if (!slotId) continue;
        const { body } = await system.graphql(
          `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename ... on AppointmentBooked { appointment { id } } } }`,
          { token: patient.token, variables: { input: { slotId, idempotencyKey: `fresh-${randomUUID()}` } } },
        );
        expect(body.errors).toBeUndefined();
        const outcome = body.data?.['bookAppointment'] as { appointment?: { id: string } };
        if (outcome.appointment) booked.push({ id: outcome.appointment.id, token: patient.token });
      } else if (roll < 0.65) {
        const slotId = pick(await freeSlotIds());
        if (slotId) await mutate('holdSlot', patient.token, { slotId });
      } else if (roll < 0.85) {
        const [appointment] = booked.splice(Math.floor(Math.random() * booked.length), 1);
        if (appointment)
          await mutate('cancelAppointment', appointment.token, { appointmentId: appointment.id });
      } else {
        const appointment = pick(booked);
        const slotId = pick(await freeSlotIds());
        if (appointment && slotId)
          await mutate('rescheduleAppointment', appointment.token, { appointmentId: appointment.id, slotId });
      }
    }
  };
  const reader = async (token?: string) => {
    while (writing) {
      const doctorId = pick(doctors)!;
      const seen = consumed.length;
      reads.push({ doctorId, seen, free: await search(doctorId, token) });
    }
  };
  const readers = [reader(), reader(), reader(patients[0]!.token)];
  await Promise.all([writer(), writer(), writer(), writer()]);
  writing = false;
  await Promise.all(readers);

  // Once every change is in, the gateway answers exactly what the database holds.
  await eventually(async () => {
    const free = new Set(await freeSlotIds());
    const last = new Map(initial);
    for (const change of consumed) if (last.has(change.slotId)) last.set(change.slotId, change.free);
    return [...last].every(([id, isFree]) => isFree === free.has(id)) ? true : undefined;
  }, 60_000);
  for (const doctorId of doctors) {
    const expected = (await freeSlotIds()).filter((id) => doctorOf.get(id) === doctorId).sort();
    expect([...(await search(doctorId))].sort()).toEqual(expected);
  }

  // Each slot's states in the order the gateway consumed them; a read may show the state of the last
  // change consumed before it started, or of any later one, never an earlier one.
  const history = new Map([...initial].map(([id, free]) => [id, [free]]));
  for (const change of consumed) history.get(change.slotId)?.push(change.free);
  const stale: string[] = [];
  for (const read of reads) {
    const before = new Map<string, number>();
    for (const change of consumed.slice(0, read.seen))
      before.set(change.slotId, (before.get(change.slotId) ?? 0) + 1);
    for (const [slotId, states] of history) {
      if (doctorOf.get(slotId) !== read.doctorId) continue;
      const admissible = states.slice(before.get(slotId) ?? 0);
      if (!admissible.includes(read.free.has(slotId))) stale.push(`${slotId} after ${read.seen} changes`);
    }
  }
  expect(reads.length).toBeGreaterThan(50);
  // The cache answered some of them (or this test proves nothing about it).
  const lookups = await metrics.responseCacheLookups.get();
  expect(lookups.values.find((value) => value.labels['result'] === 'hit')?.value ?? 0).toBeGreaterThan(0);
  expect(consumed.length).toBeGreaterThan(300);
  expect(stale).toEqual([]);
}, 900_000);
