import { randomUUID } from 'node:crypto';
import { createClient, type Client as SseClient, type ExecutionResult } from 'graphql-sse';
import { DateTime } from 'luxon';
import { Client as PgClient } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable, type EventEnvelope } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { createTestDatabases, eventually, realInfra, type TestDatabases } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';

/**
 * The waitlist end to end on real PostgreSQL and Kafka (issue 19): a cancellation frees a time, the
 * appointments service's waitlist consumer offers it through its inbox, and the offer reaches the patient
 * twice over: on their live stream (kind waitlist_offer) and as one queued message on their channel. The
 * same freeing delivered again through Kafka offers nothing new. Ids only on the way.
 */
let databases: TestDatabases;
let system: TestSystem;
const clients: SseClient[] = [];
const topicPrefix = `waitlist-${randomUUID()}.`;

beforeAll(async () => {
  databases = await createTestDatabases();
  system = await startTestSystem(
    {},
    {
      ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
      KAFKA_BROKERS: realInfra().kafkaBrokers.join(','),
      KAFKA_GROUP_PREFIX: `waitlist-${randomUUID()}-`,
      KAFKA_TOPIC_PREFIX: topicPrefix,
    },
  );
}, 600_000);
afterAll(async () => {
  for (const client of clients) client.dispose();
  await system?.stop();
  await databases?.drop();
});

async function sql(database: 'appointments' | 'patients', text: string, values: unknown[] = []) {
  const client = new PgClient({ connectionString: databases.urls[database] });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function gql(query: string, token: string | undefined, variables: Record<string, unknown> = {}) {
  const { body } = await system.graphql(query, { ...(token ? { token } : {}), variables });
  if (!body.data || body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function subscribe(query: string, token: string) {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url: system.gatewayUrl,
    singleConnection: false,
    headers: (): Record<string, string> => ({ authorization: `Bearer ${token}` }),
    retryAttempts: 0,
    on: { connected: () => connected() },
  });
  clients.push(client);
  const received: ExecutionResult<Record<string, unknown>, unknown>[] = [];
  client.subscribe(
    { query },
    { next: (result) => void received.push(result), error: () => undefined, complete: () => undefined },
  );
  await ready;
  return received;
}

interface FreeSlot {
  id: string;
  start: string;
  doctor: { id: string; clinic: { id: string; timeZone: string } };
}

/** A waitlist entry for exactly this slot's doctor, local day and local start: nothing else matches it. */
async function joinFor(token: string, slot: FreeSlot): Promise<string> {
  const local = DateTime.fromISO(slot.start, { zone: slot.doctor.clinic.timeZone });
  const data = await gql(
    `mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) {
       __typename ... on WaitlistJoined { entry { id } } } }`,
    token,
    {
      input: {
        doctorId: slot.doctor.id,
        fromDate: local.toISODate(),
        toDate: local.toISODate(),
        timeZone: slot.doctor.clinic.timeZone,
        earliestStart: local.toFormat('HH:mm'),
        latestStart: local.toFormat('HH:mm'),
        idempotencyKey: `waitlist-${randomUUID()}`,
      },
    },
  );
  const joined = data['joinWaitlist'] as { __typename: string; entry?: { id: string } };
  if (!joined.entry) throw new Error(joined.__typename);
  return joined.entry.id;
}

describe('the waitlist on real PostgreSQL and Kafka', () => {
  it('offers a cancelled time on the live stream and the patient channel, once, however often it is delivered', async () => {
    const from = new Date(Date.now() + 864e5).toISOString();
    const to = new Date(Date.now() + 10 * 864e5).toISOString();
    const free = (
      await gql(
        `query($f: DateTime!, $t: DateTime!) { freeSlots(from: $f, to: $t, first: 50) {
           id start doctor { id clinic { id timeZone } } } }`,
        undefined,
        { f: from, t: to },
      )
    )['freeSlots'] as FreeSlot[];
    const slot = free[0] as FreeSlot;
    // Another slot of another doctor, for the marker below.
    const marker = free.find((other) => other.doctor.id !== slot.doctor.id) as FreeSlot;
    expect(marker).toBeDefined();

    const booker = await system.token({ role: 'Patient', subject: randomUUID() });
    const booked = await gql(
      `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
         __typename ... on AppointmentBooked { appointment { id } } } }`,
      booker,
      { input: { slotId: slot.id, idempotencyKey: `waitlist-${randomUUID()}` } },
    );
    const appointmentId = (booked['bookAppointment'] as { appointment: { id: string } }).appointment.id;

    const waiting = randomUUID();
    const token = await system.token({ role: 'Patient', subject: waiting });
    await joinFor(token, slot);
    const stream = await subscribe(
      'subscription { myAppointmentUpdates { kind appointmentId offerId slotId offerExpiresAt appointment { id } } }',
      token,
    );
    // Someone else's stream: the offer must not reach it.
    const bystander = await subscribe(
      'subscription { myAppointmentUpdates { kind offerId } }',
      await system.token({ role: 'Patient', subject: randomUUID() }),
    );

    await gql(
      `mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }`,
      booker,
      { input: { appointmentId, idempotencyKey: `waitlist-${randomUUID()}` } },
    );

    const update = await eventually(async () => {
      const found = stream
        .map((result) => result.data?.['myAppointmentUpdates'] as Record<string, unknown> | undefined)
        .find((each) => each?.['kind'] === 'waitlist_offer');
      return found;
    }, 120_000);
    expect(update).toMatchObject({ slotId: slot.id, appointment: null });
    expect(update['appointmentId']).toBe(update['offerId']);
    const offerId = update['offerId'] as string;

    const offers = await sql(
      'appointments',
      'SELECT id::text, client_id::text FROM waitlist_offer WHERE slot_id = $1',
      [slot.id],
    );
    expect(offers).toEqual([{ id: offerId, client_id: waiting }]);
    const message = await eventually(async () => {
      const rows = await sql(
        'patients',
        `SELECT reason::text, appointment_id::text, recipient::text FROM notification
          WHERE client_id = $1 AND reason = 'waitlist_offer'`,
        [waiting],
      );
      return rows.length ? rows : undefined;
    }, 120_000);
    expect(message).toEqual([{ reason: 'waitlist_offer', appointment_id: offerId, recipient: 'patient' }]);

    // The same freeing delivered again through Kafka, then a marker on the same key (so the same
    // partition, after it): once the marker is handled, so was the repeat.
    const [freed] = (
      await sql(
        'appointments',
        `SELECT envelope FROM outbox WHERE aggregate_id = $1 AND envelope->>'type' = 'slot.changed'
          AND envelope->'payload'->>'status' = 'free' ORDER BY seq DESC LIMIT 1`,
        [slot.id],
      )
    ).map((row) => row['envelope'] as EventEnvelope);
    expect(freed).toBeDefined();
    const markerClient = randomUUID();
    await joinFor(await system.token({ role: 'Patient', subject: markerClient }), marker);
    const markerEvent = createEvent({
      type: 'slot.changed',
      aggregateId: slot.id,
      actor: { role: 'System', subject: 'waitlist-test' },
      payload: {
        slotId: marker.id,
        doctorId: marker.doctor.id,
        clinicId: marker.doctor.clinic.id,
        start: marker.start,
        end: new Date(Date.parse(marker.start) + 60_000).toISOString(),
        status: 'free',
      },
    });
    await system.bus.publish('appointments', [freed as EventEnvelope, markerEvent]);
    await eventually(async () => {
      const rows = await sql('appointments', 'SELECT 1 FROM waitlist_offer WHERE client_id = $1', [
        markerClient,
      ]);
      return rows.length ? true : undefined;
    }, 120_000);
    expect(
      await sql('appointments', 'SELECT id::text, client_id::text FROM waitlist_offer WHERE slot_id = $1', [
        slot.id,
      ]),
    ).toEqual(offers);
    expect(
      await sql(
        'appointments',
        `SELECT count(*)::int AS n FROM outbox WHERE envelope->>'type' = 'waitlist.offered'
          AND envelope->'payload'->>'slotId' = $1`,
        [slot.id],
      ),
    ).toEqual([{ n: 1 }]);
    expect(
      bystander.some(
        (result) =>
          (result.data?.['myAppointmentUpdates'] as { kind?: string } | undefined)?.kind === 'waitlist_offer',
      ),
    ).toBe(false);
  }, 300_000);
});
