import { randomUUID } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import { currentRequest } from '../logging/request-context';
import { inProducerSpan } from '../telemetry/event-spans';
import { recordSpans } from '../telemetry/span-recorder';
import { TOPICS, type EventEnvelope } from '@clinic/contracts';
import { mockBookedEvent, until } from '@clinic/testing';
import type { DeadLetter, EventBus } from './event-bus';

/**
 * The behaviour every EventBus implementation promises, run against each of them (in-process and Kafka).
 * A Kafka topic keeps history and each new group reads from the beginning, so every case uses fresh
 * aggregate ids and groups and ignores what is not its own.
 */
export function describeEventBusContract(name: string, makeBus: () => Promise<EventBus>): void {
  describe(`${name} honours the EventBus contract`, () => {
    let bus: EventBus;
    beforeAll(async () => {
      bus = await makeBus();
    }, 120_000);
    afterAll(() => bus?.close());

    const booked = (appointmentId: string, correlationId?: string): EventEnvelope =>
      mockBookedEvent({ appointmentId, ...(correlationId ? { correlationId } : {}) });

    it('reports itself healthy', async () => {
      await expect(bus.health()).resolves.toBe('ok');
    });

    it('tells a subscription its stream is continuous once it consumes, and not before events reach it', async () => {
      const told: boolean[] = [];
      const aggregate = randomUUID();
      const seen: string[] = [];
      await bus.subscribe({
        topic: 'appointments',
        group: `contract-continuity-${randomUUID()}`,
        live: true,
        handle: async (event) => void (event.aggregateId === aggregate && seen.push(event.id)),
        onContinuity: (continuous) => told.push(continuous),
      });
      await until(() => told.at(-1) === true);
      const event = booked(aggregate);
      await bus.publish('appointments', [event]);
      await until(() => seen.length === 1);
      expect(told.at(-1)).toBe(true);
    });

    it('hands a live subscription only what is published after it subscribed, and all of that', async () => {
      const aggregate = randomUUID();
      const older = booked(aggregate);
      await bus.publish('appointments', [older]);
      const seen: string[] = [];
      await bus.subscribe({
        topic: 'appointments',
        group: `contract-live-${randomUUID()}`,
        live: true,
        handle: async (event) => void (event.aggregateId === aggregate && seen.push(event.id)),
      });
      // Published the moment subscribe() returns, before the consumer may have fetched anything.
      const newer = booked(aggregate);
      await bus.publish('appointments', [newer]);
      // One aggregate's events arrive in order: the older one, had it been handed over, came first.
      await until(() => seen.includes(newer.id));
      expect(seen).toEqual([newer.id]);
    });

    it("delivers every event to every group, each aggregate's events in order", async () => {
      const aggregates: string[] = Array.from({ length: 8 }, () => randomUUID());
      const published: EventEnvelope[] = [];
      for (let round = 0; round < 10; round++) for (const id of aggregates) published.push(booked(id));
      const mine = new Set(aggregates);
      const seen: Record<string, EventEnvelope[]> = { a: [], b: [] };
      for (const group of ['a', 'b'] as const) {
        await bus.subscribe({
          topic: 'appointments',
          group: `contract-order-${group}-${randomUUID()}`,
          handle: async (event) => void (mine.has(event.aggregateId) && seen[group]?.push(event)),
        });
      }
      for (let offset = 0; offset < published.length; offset += 16) {
        await bus.publish('appointments', published.slice(offset, offset + 16));
      }
      await until(() => seen['a']?.length === published.length && seen['b']?.length === published.length);
      for (const group of ['a', 'b']) {
        for (const id of aggregates) {
          const order = (events: EventEnvelope[]) =>
            events.filter((e) => e.aggregateId === id).map((e) => e.id);
          expect(order(seen[group] ?? [])).toEqual(order(published));
        }
      }
    });

    it('hands runs of events to handleBatch, and one by one to handle when a batch fails', async () => {
      const aggregate = randomUUID();
      const events = Array.from({ length: 30 }, () => booked(aggregate));
      const mine = new Set(events.map((event) => event.id));
      const viaBatch: string[] = [];
      const viaOne: string[] = [];
      const last = booked(aggregate);
      let lastSeen = false;
      let failNextBatch = true;
      await bus.subscribe({
        topic: 'appointments',
        group: `contract-batch-${randomUUID()}`,
        handle: async (event) => {
          if (event.id === last.id) lastSeen = true;
          if (mine.has(event.id)) viaOne.push(event.id);
        },
        handleBatch: async (batch) => {
          if (batch.some((event) => event.id === last.id)) lastSeen = true;
          const ours = batch.filter((event) => mine.has(event.id));
          if (ours.length > 0 && failNextBatch) {
            failNextBatch = false;
            throw new Error('batch failed');
          }
          viaBatch.push(...ours.map((event) => event.id));
        },
      });
      const ids = (some: EventEnvelope[]) => some.map((event) => event.id).sort();
      const [first, second] = [events.slice(0, 15), events.slice(15)];
      await bus.publish('appointments', first); // one run: its batch fails, then goes one by one
      await until(() => viaOne.length === first.length);
      await bus.publish('appointments', second); // one run, handled whole
      await until(() => viaBatch.length + viaOne.length >= events.length);
      // Arriving in order after them, it shows nothing of theirs is still to come (a second delivery).
      await bus.publish('appointments', [last]);
      await until(() => lastSeen);
      expect(failNextBatch).toBe(false);
      expect(viaOne.sort()).toEqual(ids(first));
      expect(viaBatch.sort()).toEqual(ids(second));
    });

    it('refuses an invalid envelope at publish, publishing nothing of the batch', async () => {
      const id = randomUUID();
      const seen: string[] = [];
      await bus.subscribe({
        topic: 'appointments',
        group: `contract-invalid-${randomUUID()}`,
        handle: async (event) => void (event.aggregateId === id && seen.push(event.id)),
      });
      const broken = { ...booked(id), payload: { appointmentId: 'nope' } } as unknown as EventEnvelope;
      await expect(bus.publish('appointments', [booked(id), broken])).rejects.toThrow(
        /invalid event envelope/,
      );
      // One aggregate's events arrive in order: had any of the refused batch been published, it would
      // arrive before this one, however slow the delivery.
      const after = booked(id);
      await bus.publish('appointments', [after]);
      await until(() => seen.includes(after.id));
      expect(seen).toEqual([after.id]);
    });

    it('runs a handler under its event correlation id', async () => {
      const id = randomUUID();
      let correlation: string | undefined;
      await bus.subscribe({
        topic: 'appointments',
        group: `contract-correlation-${randomUUID()}`,
        handle: async (event) => {
          if (event.aggregateId === id) correlation = currentRequest()?.correlationId;
        },
      });
      await bus.publish('appointments', [booked(id, 'contract-correlation-1')]);
      await until(() => correlation !== undefined);
      expect(correlation).toBe('contract-correlation-1');
    });

    it("continues the publisher's trace: each handler runs in a CONSUMER span `process <topic>`, a child of the publish span", async () => {
      const recorder = recordSpans();
      try {
        const id = randomUUID();
        const seen: { traceId: string; spanId: string }[] = [];
        await bus.subscribe({
          topic: 'appointments',
          group: `contract-trace-${randomUUID()}`,
          handle: async (event) => {
            const span = trace.getActiveSpan()?.spanContext();
            if (event.aggregateId === id && span) seen.push(span);
          },
        });
        const producer = await inProducerSpan(TOPICS.appointments.name, null, 1, async () => {
          await bus.publish('appointments', [booked(id)]);
          return trace.getActiveSpan()?.spanContext();
        });
        await until(() => seen.length === 1);
        const consumer = recorder.spans().find((span) => span.spanContext().spanId === seen[0]?.spanId);
        expect(consumer).toMatchObject({
          name: `process ${TOPICS.appointments.name}`,
          kind: SpanKind.CONSUMER,
        });
        expect(consumer?.spanContext().traceId).toBe(producer?.traceId);
        expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanId);
        expect(consumer?.attributes).toMatchObject({
          'messaging.destination.name': TOPICS.appointments.name,
        });
      } finally {
        await recorder.stop();
      }
    });

    it("runs a batch in one CONSUMER span: the publish span's child when all share its trace, else linked to each", async () => {
      const recorder = recordSpans();
      try {
        const aggregate = randomUUID();
        const events = Array.from({ length: 5 }, () => booked(aggregate));
        const mine = new Set(events.map((event) => event.id));
        const handledIn: string[] = [];
        const batchSpans: string[] = [];
        await bus.subscribe({
          topic: 'appointments',
          group: `contract-trace-batch-${randomUUID()}`,
          // From now on only: a new group's first batch on Kafka would be the topic's whole history.
          live: true,
          handle: async (event) => {
            if (mine.has(event.id)) handledIn.push(trace.getActiveSpan()?.spanContext().spanId ?? 'none');
          },
          handleBatch: async (batch) => {
            const span = trace.getActiveSpan()?.spanContext().spanId ?? 'none';
            const ours = batch.filter((event) => mine.has(event.id));
            if (ours.length > 0) batchSpans.push(span);
            for (const _ of ours) handledIn.push(span);
          },
        });
        const producer = await inProducerSpan(TOPICS.appointments.name, null, events.length, async () => {
          await bus.publish('appointments', events);
          return trace.getActiveSpan()?.spanContext();
        });
        await until(() => handledIn.length >= events.length);
        await until(() =>
          handledIn.every((id) => recorder.spans().some((s) => s.spanContext().spanId === id)),
        );
        const recorded = (spanId: string) =>
          recorder.spans().find((candidate) => candidate.spanContext().spanId === spanId);
        // Every event, in a batch or one by one, was handled in the publisher's trace or linked to it (other
        // tests' messages, from other traces, may share a batch).
        for (const spanId of handledIn) {
          const span = recorded(spanId);
          const linked = span?.links.some((link) => link.context.spanId === producer?.spanId);
          expect(span?.spanContext().traceId === producer?.traceId || linked).toBe(true);
        }
        // A batch of that publish alone is its child; one mixing traces links to each publish span.
        for (const spanId of batchSpans) {
          const span = recorded(spanId);
          if (span?.parentSpanContext) expect(span.parentSpanContext.spanId).toBe(producer?.spanId);
          else expect(span?.links.map((link) => link.context.spanId)).toContain(producer?.spanId);
        }
      } finally {
        await recorder.stop();
      }
    });

    it('dead-letters an event whose handler keeps failing, with reason and headers, and moves on; replay redelivers it', async () => {
      const poison = randomUUID();
      const next = randomUUID();
      const group = `contract-poison-${randomUUID()}`;
      const handled: string[] = [];
      let failures = 0;
      let replayed = false;
      await bus.subscribe({
        topic: 'appointments',
        group,
        handle: async (event) => {
          if (event.aggregateId !== poison && event.aggregateId !== next) return;
          if (event.aggregateId === poison && !replayed) {
            failures++;
            throw new Error('cannot handle this one');
          }
          handled.push(event.aggregateId);
        },
      });
      const letters: DeadLetter[] = [];
      await bus.subscribeDeadLetters(`contract-letters-${randomUUID()}`, async (letter) => {
        // On Kafka the new group also dead-letters any invalid messages earlier tests left: keep only ours.
        if (letter.group === group && letter.key === poison) letters.push(letter);
      });
      const poisonEvent = booked(poison);
      await bus.publish('appointments', [poisonEvent, booked(next)]);
      await until(() => handled.includes(next) && letters.length === 1);
      expect(failures).toBeGreaterThanOrEqual(2);
      const [letter] = letters;
      expect(letter).toMatchObject({
        topic: 'appointments',
        group,
        key: poison,
        reason: expect.stringMatching(/handler failed \d+ times: cannot handle this one/),
      });
      expect(letter?.headers).toMatchObject({
        'event-id': poisonEvent.id,
        'correlation-id': poisonEvent.correlationId,
      });
      // Published outside any trace: no made-up trace context either.
      expect(letter?.headers).not.toHaveProperty('traceparent');
      expect(JSON.parse(letter?.value ?? '{}')).toMatchObject({ id: poisonEvent.id });

      replayed = true;
      await bus.replay(letter as DeadLetter);
      await until(() => handled.includes(poison));
    });
  });
}
