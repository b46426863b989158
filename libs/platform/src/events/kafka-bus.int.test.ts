import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { type EventEnvelope, TOPICS, type TopicKey } from '@clinic/contracts';
import { eventually, realInfra, mockBookedEvent } from '@clinic/testing';
import type { DeadLetter } from './event-bus';
import { describeEventBusContract } from './event-bus.contract';
import { BACKGROUND_WINDOW_MS, KafkaEventBus } from './kafka-bus';
import type { KafkaRequestQueue } from './kafkajs-request-queue';
import { consumerLagSources } from '../metrics/catalogue';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const kafkaBus = async () => {
  const bus = new KafkaEventBus({
    brokers: realInfra().kafkaBrokers,
    clientId: `contract-${randomUUID()}`,
    logger,
    maxAttempts: 3,
    retryDelayMs: 20,
  });
  await bus.connect();
  return bus;
};

describeEventBusContract('KafkaEventBus', kafkaBus);

/** Subscribes `group` to the appointments topic; the ids of the events it has handled so far. */
const recordHandled = async (bus: KafkaEventBus, group: string) => {
  const handled = new Set<string>();
  await bus.subscribe({ topic: 'appointments', group, handle: async (event) => void handled.add(event.id) });
  return handled;
};

/** A bus on topics of its own (`topicPrefix`), connected. */
const busOnTopics = async (topicPrefix: string, clientId: string) => {
  const bus = new KafkaEventBus({ brokers: realInfra().kafkaBrokers, clientId, logger, topicPrefix });
  await bus.connect();
  return bus;
};

describe('KafkaEventBus with a real broker', () => {
  it('hands the runs of partitions fetched together to one handleBatch call, each aggregate in order', async () => {
    // Topics of its own, all published before subscribing: the first fetch holds every partition's run.
    const bus = new KafkaEventBus({
      brokers: realInfra().kafkaBrokers,
      clientId: `coalesce-${randomUUID()}`,
      logger,
      topicPrefix: `coalesce-${randomUUID()}.`,
    });
    await bus.connect();
    try {
      // 60 keys: every one of the 6 partitions holds some (all but certainly: 1 - 6·(5/6)^60).
      const aggregates = Array.from({ length: 60 }, () => randomUUID());
      const published = aggregates.flatMap((id) =>
        Array.from({ length: 2 }, () =>
          mockBookedEvent({ appointmentId: id, actor: { role: 'System', subject: 'test' } }),
        ),
      );
      await bus.publish('appointments', published);
      const calls: EventEnvelope[][] = [];
      const oneByOne: EventEnvelope[] = [];
      await bus.subscribe({
        topic: 'appointments',
        group: `coalesce-${randomUUID()}`,
        handle: async (event) => void oneByOne.push(event),
        handleBatch: async (events) => void calls.push(events),
      });
      const deadline = Date.now() + 90_000; // for a stuck consumer; a busy machine is slow
      while (calls.flat().length < published.length && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(oneByOne).toEqual([]);
      // One call per partition would be 6 or more.
      expect(calls.length).toBeLessThan(TOPICS.appointments.partitions);
      const order = (events: EventEnvelope[], id: string) =>
        events.filter((event) => event.aggregateId === id).map((event) => event.id);
      for (const id of aggregates) expect(order(calls.flat(), id)).toEqual(order(published, id));
    } finally {
      await bus.close();
    }
  }, 300_000);

  it('gathers a burst for a background consumer into a few batches, losing and reordering none', async () => {
    const bus = await busOnTopics(`background-${randomUUID()}.`, `background-${randomUUID()}`);
    try {
      // Every delivery in order: a batch, or a lone event (the bus hands one alone to `handle`).
      const deliveries: EventEnvelope[][] = [];
      await bus.subscribe({
        topic: 'appointments',
        group: `background-${randomUUID()}`,
        background: true,
        handle: async (event) => void deliveries.push([event]),
        handleBatch: async (events) => void deliveries.push(events),
      });
      // Joined first, so it is fetching while they are published (not reading them all back at once).
      await eventually(async () => ((await bus.readiness()) === 'ok' ? true : undefined));
      // Twelve events of three aggregates, published one at a time: a consumer fetching as soon as
      // anything arrives gets most of them in deliveries of their own.
      const aggregates = Array.from({ length: 3 }, () => randomUUID());
      const published: EventEnvelope[] = [];
      const burstStarted = performance.now();
      for (let index = 0; index < 12; index++) {
        const event = mockBookedEvent({
          appointmentId: aggregates[index % aggregates.length]!,
          actor: { role: 'System', subject: 'test' },
        });
        await bus.publish('appointments', [event]);
        published.push(event);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Each fetch holds a whole window, so a burst however slow spans only so many (two when quick).
      const windows = Math.ceil((performance.now() - burstStarted) / BACKGROUND_WINDOW_MS) + 1;
      await eventually(async () => (deliveries.flat().length >= published.length ? true : undefined));
      const handled = deliveries.flat();
      expect(handled.map((event) => event.id).sort()).toEqual(published.map((event) => event.id).sort());
      const order = (events: EventEnvelope[], id: string) =>
        events.filter((event) => event.aggregateId === id).map((event) => event.id);
      for (const id of aggregates) expect(order(handled, id)).toEqual(order(published, id));
      expect(deliveries.length).toBeLessThanOrEqual(windows);
    } finally {
      await bus.close();
    }
  }, 300_000);

  it('commits what it handled, so the group resumes after it when the consumer comes back', async () => {
    const topicPrefix = `resume-${randomUUID()}.`;
    const group = `resume-${randomUUID()}`;
    const busWithTopics = () => busOnTopics(topicPrefix, group);
    const booked = () =>
      mockBookedEvent({ appointmentId: randomUUID(), actor: { role: 'System', subject: 'test' } });
    const consumeUntil = async (bus: KafkaEventBus, expected: number) => {
      const handled: string[] = [];
      await bus.subscribe({
        topic: 'appointments',
        group,
        handle: async (event) => void handled.push(event.id),
        handleBatch: async (events) => void handled.push(...events.map((event) => event.id)),
      });
      const deadline = Date.now() + 90_000; // for a stuck consumer; a busy machine is slow
      while (handled.length < expected && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return handled;
    };
    const first = await busWithTopics();
    const before = Array.from({ length: 40 }, booked);
    try {
      await first.publish('appointments', before);
      expect((await consumeUntil(first, before.length)).sort()).toEqual(before.map((e) => e.id).sort());
    } finally {
      await first.close();
    }
    const second = await busWithTopics();
    try {
      const after = booked();
      await second.publish('appointments', [after]);
      const handled = await consumeUntil(second, 1);
      // Give a redelivery of the first run time to show up before judging.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(handled).toEqual([after.id]);
    } finally {
      await second.close();
    }
  }, 300_000);

  it('commits what it handled while it keeps running, with nothing more arriving, so its lag falls to zero', async () => {
    const topicPrefix = `lull-${randomUUID()}.`;
    const group = `lull-${randomUUID()}`;
    const admin = new Kafka({ brokers: realInfra().kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    const [bus] = await Promise.all([busOnTopics(topicPrefix, group), admin.connect()]);
    try {
      const handled = await recordHandled(bus, group);
      const events = Array.from({ length: 12 }, () =>
        mockBookedEvent({ appointmentId: randomUUID(), actor: { role: 'System', subject: 'test' } }),
      );
      await bus.publish('appointments', events);
      await eventually(async () => (events.every((e) => handled.has(e.id)) ? true : undefined));
      const topic = `${topicPrefix}${TOPICS.appointments.name}`;
      const ends = await admin.fetchTopicOffsets(topic);
      // The consumer stays in its group and nothing else is published: only its own commit can get here.
      await eventually(async () => {
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        const at = (partition: number) =>
          committed?.partitions.find((p) => p.partition === partition)?.offset;
        return ends.every(({ partition, high }) => high === '0' || at(partition) === high) ? true : undefined;
      });
    } finally {
      await admin.disconnect();
      await bus.close();
    }
  }, 300_000);

  it('checks for waiting requests only when there are some: an idle producer and consumer leave the process asleep', async () => {
    const topicPrefix = `idle-${randomUUID()}.`;
    const group = `idle-${randomUUID()}`;
    const bus = await busOnTopics(topicPrefix, group);
    // kafkajs's own class, not through the module that mends it: the bus must have mended it itself.
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module kafkajs does not export */
    const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: KafkaRequestQueue };
    const check = RequestQueue.prototype.checkPendingRequests;
    let checks = 0;
    try {
      const handled = await recordHandled(bus, group);
      const event = mockBookedEvent({
        appointmentId: randomUUID(),
        actor: { role: 'System', subject: 'test' },
      });
      await bus.publish('appointments', [event]);
      await eventually(async () => (handled.has(event.id) ? true : undefined));
      RequestQueue.prototype.checkPendingRequests = function counted(this: KafkaRequestQueue) {
        checks++;
        check.call(this);
      };
      // Idle: the consumer's fetch waits at the broker and heartbeats come every 3 s. Stock kafkajs 2.2.4
      // checks each connection's queue every millisecond here, thousands of times.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(checks).toBeLessThan(50);
    } finally {
      RequestQueue.prototype.checkPendingRequests = check;
      await bus.close();
    }
  }, 300_000);

  it('delivers publishes sent all at once through one producer: none is lost, none waits for ever', async () => {
    const topicPrefix = `burst-${randomUUID()}.`;
    const group = `burst-${randomUUID()}`;
    const bus = await busOnTopics(topicPrefix, group);
    try {
      const handled = await recordHandled(bus, group);
      const events = Array.from({ length: 20 }, () =>
        mockBookedEvent({ appointmentId: randomUUID(), actor: { role: 'System', subject: 'test' } }),
      );
      await Promise.all(events.map((event) => bus.publish('appointments', [event])));
      await eventually(async () => (events.every((e) => handled.has(e.id)) ? true : undefined));
    } finally {
      await bus.close();
    }
  }, 300_000);

  it('starts live subscriptions on topics created that moment, many at once, while their leaders settle', async () => {
    // A topic just created is unknown to parts of the broker, or its partitions have no leader yet, for
    // a moment: longer on a busy machine. Eight buses of their own create their topics side by side.
    const buses = Array.from(
      { length: 8 },
      () =>
        new KafkaEventBus({
          brokers: realInfra().kafkaBrokers,
          clientId: `settling-${randomUUID()}`,
          logger,
          topicPrefix: `settling-${randomUUID()}.`,
        }),
    );
    try {
      const handled = await Promise.all(
        buses.map(async (bus) => {
          const ids = new Set<string>();
          // Every topic at once: each live subscription first reads its topic's end offsets.
          await Promise.all(
            (Object.keys(TOPICS) as TopicKey[]).map((topic) =>
              bus.subscribe({
                topic,
                group: `settling-${randomUUID()}`,
                live: true,
                handle: async (event) => void ids.add(event.id),
              }),
            ),
          );
          return ids;
        }),
      );
      const events = buses.map(() =>
        mockBookedEvent({ appointmentId: randomUUID(), actor: { role: 'System', subject: 'test' } }),
      );
      await Promise.all(buses.map((bus, index) => bus.publish('appointments', [events[index]!])));
      await eventually(async () =>
        handled.every((ids, index) => ids.has(events[index]!.id)) ? true : undefined,
      );
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
    }
  }, 300_000);

  it("keeps a live subscription's place in memory: it commits nothing, and its lag counts what it has not handled yet", async () => {
    const topicPrefix = `live-${randomUUID()}.`;
    const group = `live-${randomUUID()}`;
    const admin = new Kafka({ brokers: realInfra().kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    const [bus] = await Promise.all([busOnTopics(topicPrefix, group), admin.connect()]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    try {
      const handled: string[] = [];
      await bus.subscribe({
        topic: 'appointments',
        group,
        live: true,
        handle: async (event) => {
          handled.push(event.id);
          await gate;
        },
      });
      // One aggregate's events share a partition: the first is in the handler, all three are unhandled.
      const appointmentId = randomUUID();
      const events = Array.from({ length: 3 }, () =>
        mockBookedEvent({ appointmentId, actor: { role: 'System', subject: 'test' } }),
      );
      await bus.publish('appointments', events);
      await eventually(async () => (handled.length === 1 ? true : undefined));
      const lag = (await consumerLagSources.read('lag'))
        .filter(({ labels }) => labels.group === 'gateway-live' && labels.topic === 'appointments')
        .reduce((sum, sample) => sum + sample.value, 0);
      expect(lag).toBe(3);
      release();
      await eventually(async () => (handled.length === 3 ? true : undefined));
      // kafkajs commits right after a batch when it commits at all: give one time to land.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const [committed] = await admin.fetchOffsets({
        groupId: group,
        topics: [`${topicPrefix}${TOPICS.appointments.name}`],
      });
      expect(committed?.partitions.map(({ offset }) => offset)).toEqual(
        Array.from({ length: TOPICS.appointments.partitions }, () => '-1'),
      );
    } finally {
      release();
      await admin.disconnect();
      await bus.close();
    }
  }, 300_000);

  it('hands every event on while members join and leave mid-stream, and the group resumes after the last one', async () => {
    const topicPrefix = `churn-${randomUUID()}.`;
    const group = `churn-${randomUUID()}`;
    const member = () => busOnTopics(topicPrefix, group);
    const handled: string[] = [];
    const subscription = (into: string[]) => ({
      topic: 'appointments' as const,
      group,
      handle: async (event: EventEnvelope) => void into.push(event.id),
    });
    const booked = () =>
      mockBookedEvent({ appointmentId: randomUUID(), actor: { role: 'System', subject: 'test' } });
    const [first, second] = await Promise.all([member(), member()]);
    let third: KafkaEventBus | null = null;
    try {
      await first.subscribe(subscription(handled));
      const published: EventEnvelope[] = [];
      // One at a time, so commits, rebalances and the stream interleave.
      for (let i = 0; i < 60; i++) {
        const event = booked();
        await first.publish('appointments', [event]);
        published.push(event);
        if (i === 15) await second.subscribe(subscription(handled));
        if (i === 40) await first.stopConsuming();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // At least once: every event reached a member (a rebalance may hand one on twice).
      await eventually(async () =>
        published.every((event) => handled.includes(event.id)) ? true : undefined,
      );
      await second.close();
      // A member joining now starts after everything handled: no commit went back, none was lost.
      third = await member();
      const later: string[] = [];
      await third.subscribe(subscription(later));
      const marker = booked();
      await third.publish('appointments', [marker]);
      await eventually(async () => (later.includes(marker.id) ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(later).toEqual([marker.id]);
    } finally {
      await Promise.all([first.close(), second.close(), third?.close()]);
    }
  }, 300_000);

  it('sends a message that is not a valid envelope to the dead-letter topic while later ones keep flowing', async () => {
    const bus = await kafkaBus();
    const raw = new Kafka({ brokers: realInfra().kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await raw.connect();
    try {
      const group = `poison-${randomUUID()}`;
      const poisonKey = randomUUID();
      const later = randomUUID();
      const handled: string[] = [];
      const letters: DeadLetter[] = [];
      await bus.subscribe({
        topic: 'appointments',
        group,
        handle: async (event) => void (event.aggregateId === later && handled.push(event.aggregateId)),
      });
      await bus.subscribeDeadLetters(`letters-${randomUUID()}`, async (letter) => {
        if (letter.group === group && letter.key === poisonKey) letters.push(letter);
      });
      await raw.send({
        topic: TOPICS.appointments.name,
        messages: [
          { key: poisonKey, value: '{"this is": not json', headers: { 'correlation-id': 'poison-1' } },
        ],
      });
      const valid = mockBookedEvent({ appointmentId: later, actor: { role: 'System', subject: 'test' } });
      await bus.publish('appointments', [valid]);
      const deadline = Date.now() + 90_000; // for a stuck consumer; a busy machine is slow
      while ((handled.length === 0 || letters.length === 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(handled).toEqual([later]);
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({
        key: poisonKey,
        value: '{"this is": not json',
        reason: expect.stringMatching(/^invalid message: /),
        headers: expect.objectContaining({ 'correlation-id': 'poison-1' }),
      });
    } finally {
      await raw.disconnect();
      await bus.close();
    }
  }, 300_000);

  it("tells a subscriber of a message it cannot read (a newer service's event type), then sets it aside whatever the subscriber does", async () => {
    const bus = await kafkaBus();
    const raw = new Kafka({ brokers: realInfra().kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await raw.connect();
    try {
      const later = randomUUID();
      const handled: string[] = [];
      let unreadable = 0;
      await bus.subscribe({
        topic: 'appointments',
        group: `newer-${randomUUID()}`,
        live: true,
        handle: async (event) => void (event.aggregateId === later && handled.push(event.aggregateId)),
        // Even a subscriber that fails to take note lets the partition move on.
        onUnreadable: () => {
          unreadable++;
          throw new Error('the subscriber failed');
        },
      });
      const valid = mockBookedEvent({ appointmentId: later, actor: { role: 'System', subject: 'test' } });
      await raw.send({
        topic: TOPICS.appointments.name,
        messages: [
          { key: later, value: JSON.stringify({ ...valid, id: randomUUID(), type: 'slot.teleported' }) },
        ],
      });
      await bus.publish('appointments', [valid]);
      await eventually(async () => (handled.length > 0 ? true : undefined));
      expect(handled).toEqual([later]);
      expect(unreadable).toBe(1);
    } finally {
      await raw.disconnect();
      await bus.close();
    }
  }, 300_000);

  it('is ready and continuous once its consumer has joined its group, and neither once it stopped consuming; it still publishes then', async () => {
    const bus = new KafkaEventBus({
      brokers: realInfra().kafkaBrokers,
      clientId: `ready-${randomUUID()}`,
      logger,
      topicPrefix: `ready-${randomUUID()}.`,
    });
    await bus.connect();
    try {
      expect(await bus.health()).toBe('ok');
      const group = `ready-${randomUUID()}`;
      const handled: string[] = [];
      // subscribe() returns once the consumer has joined (kafkajs's run waits for it); a consumer whose
      // join failed is restarted by kafkajs and reported as not ready until it has rejoined.
      const continuity: boolean[] = [];
      await bus.subscribe({
        topic: 'appointments',
        group,
        handle: async (event) => void handled.push(event.id),
        onContinuity: (continuous) => continuity.push(continuous),
      });
      expect(await bus.health()).toBe('ok');
      expect(await bus.readiness()).toBe('ok');
      const event = mockBookedEvent({ actor: { role: 'System', subject: 'test' } });
      await bus.publish('appointments', [event]);
      await eventually(async () => (handled.includes(event.id) ? true : undefined));
      expect(continuity.at(-1)).toBe(true);
      await bus.stopConsuming();
      // Whoever derives state from the stream (the gateway's response cache) must stop trusting it.
      expect(continuity.at(-1)).toBe(false);
      expect(await bus.health()).toBe(`consumer group ${group}: stopped`);
      expect(await bus.readiness()).toBe(`consumer group ${group}: stopped`);
      await bus.publish('appointments', [mockBookedEvent({ actor: { role: 'System', subject: 'test' } })]);
    } finally {
      await bus.close();
    }
  }, 300_000);

  it('stops waiting for its database when the group rebalances, so a joining member is not held up; the event is handled once', async () => {
    const topicPrefix = `rebalance-${randomUUID()}.`;
    const group = `rebalance-${randomUUID()}`;
    const member = () =>
      new KafkaEventBus({
        brokers: realInfra().kafkaBrokers,
        clientId: `rebalance-${randomUUID()}`,
        logger,
        retryDelayMs: 20,
        topicPrefix,
      });
    const [first, second] = [member(), member()];
    const admin = new Kafka({ brokers: realInfra().kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await Promise.all([first.connect(), second.connect(), admin.connect()]);
    const event = mockBookedEvent({ actor: { role: 'System', subject: 'test' } });
    let databaseDown = true;
    let tried = 0;
    const handled: string[] = [];
    // Both members share the "database": down until the test brings it back.
    const subscription = {
      topic: 'appointments' as const,
      group,
      handle: async (received: EventEnvelope) => {
        if (received.id !== event.id) return;
        tried++;
        if (databaseDown)
          throw Object.assign(new Error("Can't reach database server"), {
            code: 'P1001',
            meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
          });
        handled.push(received.id);
      },
    };
    try {
      await first.subscribe(subscription);
      await first.publish('appointments', [event]);
      await eventually(async () => (tried >= 2 ? true : undefined));
      // A second member joins while the first waits for its database. The first must leave its batch and
      // rejoin: a member that keeps waiting holds the rebalance up until Kafka evicts it (rebalance timeout).
      const joining = second.subscribe(subscription);
      await eventually(async () => {
        const [described] = (await admin.describeGroups([group])).groups;
        return described?.state === 'Stable' && described.members.length === 2 ? true : undefined;
      });
      expect(handled).toEqual([]);
      await joining;
      databaseDown = false;
      await eventually(async () => (handled.length > 0 ? true : undefined));
      // Both leave the group, committing what they handled; nothing comes a second time.
      await Promise.all([first.stopConsuming(), second.stopConsuming()]);
      expect(handled).toEqual([event.id]);
    } finally {
      await admin.disconnect();
      await Promise.all([first.close(), second.close()]);
    }
  }, 300_000);

  it('waits for a database that cannot be reached instead of setting the event aside', async () => {
    // Three attempts before a dead letter; topics of its own, so no other test's message is read.
    const bus = new KafkaEventBus({
      brokers: realInfra().kafkaBrokers,
      clientId: `outage-${randomUUID()}`,
      logger,
      maxAttempts: 3,
      retryDelayMs: 20,
      topicPrefix: `outage-${randomUUID()}.`,
    });
    await bus.connect();
    try {
      const group = `outage-${randomUUID()}`;
      const event = mockBookedEvent({ actor: { role: 'System', subject: 'test' } });
      let calls = 0;
      const letters: DeadLetter[] = [];
      await bus.subscribeDeadLetters(`letters-${randomUUID()}`, async (letter) => {
        if (letter.group === group) letters.push(letter);
      });
      await bus.subscribe({
        topic: 'appointments',
        group,
        handle: async (handled) => {
          if (handled.id !== event.id) return;
          // As Prisma reports a refused connection, six times: twice the attempts a broken event gets.
          if (++calls <= 6)
            throw Object.assign(new Error("Can't reach database server"), {
              code: 'P1001',
              meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
            });
        },
      });
      await bus.publish('appointments', [event]);
      await eventually(async () => (calls >= 7 ? true : undefined));
      expect(calls).toBe(7);
      expect(letters).toEqual([]);
    } finally {
      await bus.close();
    }
  }, 300_000);
});
