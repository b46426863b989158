import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { EventEnvelope } from '@clinic/contracts';
import {
  applyMigrations,
  enqueueEvents,
  InProcessEventBus,
  KafkaEventBus,
  OutboxRelay,
  type EventBus,
} from '@clinic/platform';
import { mockBookedEvent, createTestDatabases, realInfra, type TestDatabases } from '@clinic/testing';
import { connectAppointmentsDatabase, type AppointmentsDatabase } from '../database';
import { APPOINTMENTS_OUTBOX_LOCK } from './relay';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
let databases: TestDatabases;
let db: AppointmentsDatabase;
let bus: KafkaEventBus;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  databases = await createTestDatabases(['appointments']);
  await applyMigrations(
    databases.urls.appointments,
    `${__dirname}/../../../../prisma/appointments/migrations`,
  );
  db = connectAppointmentsDatabase(databases.urls.appointments);
  bus = new KafkaEventBus({
    brokers: realInfra().kafkaBrokers,
    clientId: `relay-test-${randomUUID()}`,
    logger,
  });
  await bus.subscribe({
    topic: 'appointments',
    group: `relay-test-${randomUUID()}`,
    handle: async (event) => void received.push(event),
  });
}, 600_000);
afterAll(async () => {
  await bus?.close();
  await db?.$disconnect();
  await databases?.drop();
});

const booked = (appointmentId = randomUUID()) =>
  mockBookedEvent({ appointmentId: appointmentId, actor: { role: 'System', subject: 'relay-test' } });

const relay = (over: EventBus = bus, tuning: { idleMs?: number; batchSize?: number } = {}) =>
  new OutboxRelay({
    db,
    bus: over,
    logger,
    service: 'appointments',
    lockKey: APPOINTMENTS_OUTBOX_LOCK,
    idleMs: 20,
    ...tuning,
  });

async function arrivals(ids: Set<string>, expected: number, settleMs = 1_500): Promise<EventEnvelope[]> {
  const deadline = Date.now() + 100_000; // a bound for a stuck relay, generous for a busy machine
  const mine = () => received.filter((event) => ids.has(event.id));
  while (mine().length < expected && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
  await new Promise((resolve) => setTimeout(resolve, settleMs)); // anything extra would show up now
  return mine();
}

/**
 * Waits until every one of these outbox rows is marked published. It gives up only when none was marked
 * for a whole minute (a stuck relay), not after a fixed time, which a busy machine can overrun.
 */
async function drained(ids: string[]): Promise<void> {
  let unpublished = Infinity;
  let progressAt = Date.now();
  for (;;) {
    const now = await db.outboxEvent.count({ where: { id: { in: ids }, publishedAt: null } });
    if (now === 0) return;
    if (now < unpublished) [unpublished, progressAt] = [now, Date.now()];
    else if (Date.now() - progressAt > 60_000) throw new Error(`${now} outbox rows stayed unpublished`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A bus that dies the way a process would: `before` never publishes, `after` publishes and then dies. */
function crashing(when: 'before' | 'after'): EventBus {
  return {
    publish: async (topic, events) => {
      if (when === 'after') await bus.publish(topic, events);
      throw new Error(`relay process died ${when} publishing`);
    },
    subscribe: bus.subscribe.bind(bus),
    subscribeDeadLetters: bus.subscribeDeadLetters.bind(bus),
    replay: bus.replay.bind(bus),
    readiness: bus.readiness.bind(bus),
    health: bus.health.bind(bus),
    stopConsuming: async () => undefined,
    close: async () => undefined,
  };
}

describe('transactional outbox with a real broker and PostgreSQL', () => {
  it('publishes a committed change even when the relay dies between commit and publish', async () => {
    const event = booked();
    await db.$transaction((tx) => enqueueEvents(tx, 'appointments', [event]));
    await expect(relay(crashing('before')).runOnce()).rejects.toThrow(/died before/);
    expect(await db.outboxEvent.count({ where: { id: event.id, publishedAt: null } })).toBe(1);
    expect(await relay().runOnce()).toBeGreaterThanOrEqual(1);
    expect(await arrivals(new Set([event.id]), 1)).toHaveLength(1);
    expect(await db.outboxEvent.count({ where: { id: event.id, publishedAt: null } })).toBe(0);
  });

  it('publishes again, rather than lose it, when the relay dies after publishing but before marking', async () => {
    const event = booked();
    await db.$transaction((tx) => enqueueEvents(tx, 'appointments', [event]));
    await expect(relay(crashing('after')).runOnce()).rejects.toThrow(/died after/);
    await relay().runOnce();
    // At least once: consumers deduplicate by event id (see the audit inbox test).
    expect((await arrivals(new Set([event.id]), 2)).map((e) => e.id)).toEqual([event.id, event.id]);
  });

  it('never publishes a rolled-back change', async () => {
    const event = booked();
    await expect(
      db.$transaction(async (tx) => {
        await enqueueEvents(tx, 'appointments', [event]);
        throw new Error('the booking failed after writing its event');
      }),
    ).rejects.toThrow(/booking failed/);
    await relay().runOnce();
    expect(await db.outboxEvent.count({ where: { id: event.id } })).toBe(0);
    expect(await arrivals(new Set([event.id]), 0)).toEqual([]);
  });

  it('lets three relays run at once without publishing any row twice, keeping each aggregate in order', async () => {
    const aggregates = Array.from({ length: 10 }, () => randomUUID());
    const events = Array.from({ length: 600 }, (_, i) => booked(aggregates[i % aggregates.length]));
    for (let offset = 0; offset < events.length; offset += 100) {
      await db.$transaction((tx) => enqueueEvents(tx, 'appointments', events.slice(offset, offset + 100)));
    }
    const relays = [relay(), relay(), relay()];
    for (const each of relays) each.start();
    const got = await arrivals(new Set(events.map((event) => event.id)), events.length);
    await Promise.all(relays.map((each) => each.stop()));
    expect(got).toHaveLength(events.length);
    expect(new Set(got.map((event) => event.id)).size).toBe(events.length);
    for (const aggregate of aggregates) {
      const order = (list: EventEnvelope[]) =>
        list.filter((e) => e.aggregateId === aggregate).map((e) => e.id);
      expect(order(got)).toEqual(order(events));
    }
  }, 300_000);

  it('looks at an empty outbox with one statement and no transaction, and still publishes what is written next', async () => {
    const statements: string[] = [];
    const watched = connectAppointmentsDatabase(databases.urls.appointments, (sql) => statements.push(sql));
    try {
      const quiet = new OutboxRelay({
        db: watched,
        bus,
        logger,
        service: 'appointments',
        lockKey: APPOINTMENTS_OUTBOX_LOCK,
      });
      while ((await quiet.runOnce()) > 0); // whatever earlier tests left
      statements.length = 0;
      expect(await quiet.runOnce()).toBe(0);
      expect(statements).toHaveLength(1);
      expect(statements.filter((sql) => /^\s*(BEGIN|COMMIT)/i.test(sql))).toEqual([]);
      const event = booked();
      await db.$transaction((tx) => enqueueEvents(tx, 'appointments', [event]));
      expect(await quiet.runOnce()).toBe(1);
      expect(await arrivals(new Set([event.id]), 1, 0)).toHaveLength(1);
    } finally {
      await watched.$disconnect();
    }
  }, 300_000);

  it('publishes each row once when relays race, even when one commits between the snapshot and the lock of another', async () => {
    // No broker: the relays poll as fast as they can, so a relay's commit often lands inside another's
    // pick statement. Before the fix, each of three runs sent 52 to 500 of 20,000 rows twice.
    const local = new InProcessEventBus({ logger });
    const published = new Map<string, number>();
    await local.subscribe({
      topic: 'appointments',
      group: 'count',
      handle: async (event) => void published.set(event.id, (published.get(event.id) ?? 0) + 1),
    });
    // The race needs relays contending, not speed: with the fix undone, six relays over 20,000 rows sent
    // rows twice in each of four runs on a loaded machine (three relays: three runs of four). The test waits
    // until every row is marked published, however long that takes, instead of a fixed deadline.
    const total = 20_000;
    const ids: string[] = [];
    for (let offset = 0; offset < total; offset += 1_000) {
      const events = Array.from({ length: 1_000 }, () => booked());
      ids.push(...events.map((event) => event.id));
      await db.$transaction((tx) => enqueueEvents(tx, 'appointments', events));
    }
    const relays = Array.from({ length: 6 }, () => relay(local, { idleMs: 1, batchSize: 50 }));
    for (const each of relays) each.start();
    await drained(ids);
    await Promise.all(relays.map((each) => each.stop()));
    await local.close(); // delivers everything published so far
    expect(published.size).toBe(total);
    expect([...published.values()].filter((times) => times > 1)).toEqual([]);
  }, 600_000);
});
