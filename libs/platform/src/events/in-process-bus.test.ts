import pino from 'pino';
import type { EventEnvelope } from '@clinic/contracts';
import { mockBookedEvent } from '@clinic/testing';
import { InProcessEventBus } from './in-process-bus';
import { metrics } from '../metrics/catalogue';

const logger = pino({ level: 'silent' });
const booked = (appointmentId: string) =>
  mockBookedEvent({
    appointmentId,
    actor: { role: 'Patient', subject: '0b7f7d4e-5d1c-4a8e-9a55-0d9a3c1e2f10' },
  });
const ids = Array.from({ length: 20 }, (_, i) => `4b7f7d4e-5d1c-4a8e-9a55-${String(i).padStart(12, '0')}`);

describe('InProcessEventBus', () => {
  it('delivers every event to every group, in publish order', async () => {
    const bus = new InProcessEventBus({ logger });
    const seen: Record<string, string[]> = { audit: [], notifications: [] };
    for (const group of Object.keys(seen)) {
      await bus.subscribe({
        topic: 'appointments',
        group,
        handle: async (event) => void seen[group]!.push(event.aggregateId),
      });
    }
    for (const id of ids) await bus.publish('appointments', [booked(id)]);
    await bus.idle();
    expect(seen['audit']).toEqual(ids);
    expect(seen['notifications']).toEqual(ids);
  });

  it('rejects an envelope that breaks the catalogue, publishing nothing', async () => {
    const bus = new InProcessEventBus({ logger });
    const handled: EventEnvelope[] = [];
    await bus.subscribe({
      topic: 'appointments',
      group: 'audit',
      handle: async (event) => void handled.push(event),
    });
    const broken = {
      ...booked(ids[0]!),
      payload: { appointmentId: 'not-a-uuid' },
    } as unknown as EventEnvelope;
    await expect(bus.publish('appointments', [booked(ids[1]!), broken])).rejects.toThrow(
      /invalid event envelope/,
    );
    await bus.idle();
    expect(handled).toEqual([]);
  });

  it('retries a failing handler, then sets the event aside without blocking the next', async () => {
    const bus = new InProcessEventBus({ logger, maxAttempts: 3, retryDelayMs: 1 });
    const attempts: string[] = [];
    await bus.subscribe({
      topic: 'appointments',
      group: 'audit',
      handle: async (event) => {
        attempts.push(event.aggregateId);
        if (event.aggregateId === ids[0]) throw new Error('poison');
      },
    });
    await bus.publish('appointments', [booked(ids[0]!), booked(ids[1]!)]);
    await bus.idle();
    expect(attempts).toEqual([ids[0], ids[0], ids[0], ids[1]]);
    expect(bus.deadLetters).toMatchObject([
      { group: 'audit', reason: 'handler failed 3 times: poison', key: ids[0], topic: 'appointments' },
    ]);
  });

  it('counts handled and failed attempts and dead letters, by group and topic, and the newest dead letter time', async () => {
    const bus = new InProcessEventBus({ logger, maxAttempts: 2, retryDelayMs: 1 });
    const group = 'audit-metrics-test';
    const labels = { service: 'audit', group, topic: 'appointments' };
    const count = async (metric: 'eventsHandled' | 'deadLetters' | 'deadLetterLast', extra = {}) =>
      (await metrics[metric].get()).values.find((sample) =>
        Object.entries({ ...labels, ...extra }).every(
          ([key, value]) => (sample.labels as Record<string, unknown>)[key] === value,
        ),
      )?.value ?? 0;
    await bus.subscribe({
      topic: 'appointments',
      group,
      handle: async (event) => {
        if (event.aggregateId === ids[0]) throw new Error('poison');
      },
    });
    const before = Date.now() / 1000;
    await bus.publish('appointments', [booked(ids[0]!), booked(ids[1]!)]);
    await bus.idle();
    expect(await count('eventsHandled', { outcome: 'ok' })).toBe(1);
    expect(await count('eventsHandled', { outcome: 'failed' })).toBe(2);
    expect(await count('deadLetters')).toBe(1);
    expect(await count('deadLetterLast')).toBeGreaterThanOrEqual(Math.floor(before));
  });

  it('runs handlers under the correlation id of their event', async () => {
    const { currentRequest } = await import('../logging/request-context');
    const bus = new InProcessEventBus({ logger });
    let seen: string | undefined;
    await bus.subscribe({
      topic: 'appointments',
      group: 'audit',
      handle: async () => void (seen = currentRequest()?.correlationId),
    });
    const event = booked(ids[2]!);
    await bus.publish('appointments', [event]);
    await bus.idle();
    expect(seen).toBe(event.correlationId);
  });

  it('logs retries under the correlation id of the failing event', async () => {
    const { Writable } = await import('node:stream');
    const { createLogger } = await import('../logging/logger');
    const lines: { msg: string; correlationId?: string }[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as { msg: string; correlationId?: string });
        done();
      },
    });
    const bus = new InProcessEventBus({
      logger: createLogger('bus', 'warn', stream),
      maxAttempts: 2,
      retryDelayMs: 1,
    });
    await bus.subscribe({
      topic: 'appointments',
      group: 'audit',
      handle: async () => {
        throw new Error('down');
      },
    });
    const event = booked(ids[3]!);
    await bus.publish('appointments', [event]);
    await bus.idle();
    expect(lines.map((line) => line.msg)).toEqual([
      'event handler failed',
      'event handler failed',
      'event set aside as a dead letter',
    ]);
    expect(lines.every((line) => line.correlationId === event.correlationId)).toBe(true);
  });
});
