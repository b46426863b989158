import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DATABASE_NAMES, databaseUrlVariable, TOPICS } from '@clinic/contracts';
import { createTestDatabases, realInfra, type TestDatabases, eventually } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';

let databases: TestDatabases;
let system: TestSystem;
let admin: string;
/** Streams of this run's own, so nothing earlier runs left on the broker arrives here. */
const topicPrefix = `system-${randomUUID()}.`;

beforeAll(async () => {
  databases = await createTestDatabases();
  const env = {
    ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
    KAFKA_BROKERS: realInfra().kafkaBrokers.join(','),
    KAFKA_GROUP_PREFIX: `system-${randomUUID()}-`,
    KAFKA_TOPIC_PREFIX: topicPrefix,
  };
  system = await startTestSystem({}, env);
  admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-1' });
}, 600_000);
afterAll(async () => {
  await system?.stop();
  await databases?.drop();
});

describe('the same system on real PostgreSQL and Kafka', () => {
  it('runs on the databases and broker it was given, and /readyz reports each', async () => {
    expect(system.databaseUrls).toEqual(databases.urls);
    const ready = await fetch(new URL('/readyz', system.gatewayUrl));
    const body = (await ready.json()) as { status: string; dependencies: Record<string, string> };
    expect(ready.status).toBe(200);
    for (const name of DATABASE_NAMES) expect(body.dependencies[`database:${name}`]).toBe('ok');
    expect(body.dependencies['event-bus:appointments']).toBe('ok');
    expect(body.dependencies['event-bus:audit']).toBe('ok');
  });

  it('turns a booking into an audit entry through the outbox and Kafka', async () => {
    const correlationId = `real-infra-booking-${randomUUID()}`;
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 14 * 864e5).toISOString();
    const slots = await system.graphql(
      `query($from: DateTime!, $to: DateTime!) { freeSlots(from: $from, to: $to, first: 1) { id } }`,
      {
        variables: { from, to },
      },
    );
    const slotId = (slots.body.data?.['freeSlots'] as { id: string }[])[0]?.id;
    const patient = await system.token({ role: 'Patient', subject: randomUUID() });
    const booking = await system.graphql(
      `mutation($slotId: ID!) { bookAppointment(input: { slotId: $slotId, idempotencyKey: "real-infra-0001" }) { __typename } }`,
      { token: patient, variables: { slotId }, headers: { 'x-correlation-id': correlationId } },
    );
    expect(booking.body.data?.['bookAppointment']).toEqual({ __typename: 'AppointmentBooked' });
    const trail = await eventually(async () => {
      const { body } = await system.graphql(
        `query($id: ID) { auditTrail(correlationId: $id) { action correlationId } }`,
        {
          token: admin,
          variables: { id: correlationId },
        },
      );
      const entries = body.data?.['auditTrail'] as { action: string }[] | undefined;
      return entries && entries.length >= 2 ? entries : undefined;
    }, 300_000);
    // The booking and the slot it made busy, both under the request's correlation id.
    expect(trail).toEqual(
      expect.arrayContaining([
        { action: 'appointment.booked', correlationId },
        { action: 'slot.changed', correlationId },
      ]),
    );
    expect(trail).toHaveLength(2);
  });

  it('lists dead letters for system administrators only, and replays one', async () => {
    const producer = new Kafka({ brokers: realInfra().kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const key = randomUUID();
    await producer.send({
      topic: `${topicPrefix}${TOPICS.appointments.name}`,
      messages: [{ key, value: `{"poison":"${key}"}` }],
    });
    await producer.disconnect();

    const query =
      '{ deadLetters(first: 200) { id topic consumerGroup reason key message replayCount headers { name value } } }';
    type Letter = {
      id: string;
      key: string;
      reason: string;
      consumerGroup: string;
      replayCount: number;
      headers: { name: string; value: string }[];
    };
    const letters = async () =>
      ((await system.graphql(query, { token: admin })).body.data?.['deadLetters'] ?? []) as Letter[];
    // Every consumer group of the topic sets the poison aside; this is the audit service's letter.
    const letter = await eventually(
      async () => (await letters()).find((each) => each.key === key && each.consumerGroup === 'audit'),
      90_000,
    );
    expect(letter).toMatchObject({
      consumerGroup: 'audit',
      reason: expect.stringMatching(/^invalid message/),
      replayCount: 0,
    });

    const patient = await system.token({ role: 'Patient', subject: randomUUID() });
    const denied = await system.graphql(query, { token: patient });
    expect(denied.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const replay = await system.graphql(
      `mutation($id: ID!, $key: String!) { replayDeadLetter(id: $id, idempotencyKey: $key) {
        ... on DeadLetterReplayed { deadLetter { id replayCount } } } }`,
      {
        token: admin,
        variables: { id: letter.id, key: randomUUID() },
      },
    );
    expect(replay.body.data?.['replayDeadLetter']).toEqual({ deadLetter: { id: letter.id, replayCount: 1 } });
    // Still poison, so it comes back as a new dead letter that names the one it was replayed from.
    const again = await eventually(
      async () =>
        (await letters()).find(
          (each) => each.key === key && each.consumerGroup === 'audit' && each.id !== letter.id,
        ),
      90_000,
    );
    expect(again.headers).toContainEqual({ name: 'replayed-from', value: letter.id });
  }, 300_000);
});
