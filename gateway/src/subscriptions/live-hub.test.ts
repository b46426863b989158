import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEvent, createLogger, InProcessEventBus } from '@clinic/platform';
import { buildSchema, parse, type ExecutionResult } from 'graphql';
import { LiveHub } from './live-hub';

const schema = buildSchema(readFileSync(path.join(__dirname, '../../../schema/api.graphql'), 'utf8'));
const logger = createLogger('gateway', 'silent');
const doctorId = randomUUID();
const clinicId = randomUUID();

const DOCUMENT = parse(`
  subscription Slots($doctorId: ID, $from: DateTime!, $to: DateTime!, $detail: Boolean!) {
    slotAvailabilityChanged(doctorId: $doctorId, from: $from, to: $to) {
      slotId
      slot { start doctor @include(if: $detail) { name } }
    }
  }`);

/** A hub whose federated queries are counted, each answering the same slot. */
function hub() {
  const resolutions: Record<string, unknown>[] = [];
  const live = new LiveHub({
    bus: new InProcessEventBus({ logger }),
    logger,
    schema: () => schema,
    runQuery: async (_query, variables) => {
      resolutions.push(variables);
      return { data: { entity: { start: '2030-01-01T10:00:00.000Z', doctor: { name: 'Dr Jane Citizen' } } } };
    },
  });
  const subscribe = (variables: Record<string, unknown>) => {
    const stream = live.subscribe({ document: DOCUMENT, operationName: 'Slots', variables, identity: null });
    if (!(Symbol.asyncIterator in stream)) throw new Error(`refused: ${JSON.stringify(stream.errors)}`);
    return stream;
  };
  return { live, resolutions, subscribe };
}

const slotChanged = (start: string) =>
  createEvent({
    type: 'slot.changed',
    aggregateId: randomUUID(),
    actor: { role: 'System', subject: 'test' },
    payload: {
      slotId: randomUUID(),
      doctorId,
      clinicId,
      start,
      end: new Date(Date.parse(start) + 15 * 60_000).toISOString(),
      status: 'busy',
    },
  });

/** The next result of a stream, or null if none comes while other work settles. */
async function next(stream: AsyncIterableIterator<ExecutionResult>): Promise<ExecutionResult | null> {
  const quiet = new Promise<null>((resolve) => setTimeout(() => resolve(null), 50));
  return Promise.race([stream.next().then((result) => (result.done ? null : result.value)), quiet]);
}

describe('LiveHub sharing', () => {
  it('resolves an event once for subscribers that differ only in the ranges they watch, and sends it only where it falls', async () => {
    const { live, resolutions, subscribe } = hub();
    const day = subscribe({
      doctorId,
      from: '2030-01-01T00:00:00Z',
      to: '2030-01-02T00:00:00Z',
      detail: false,
    });
    const morning = subscribe({
      doctorId,
      from: '2030-01-01T00:00:00Z',
      to: '2030-01-01T12:00:00Z',
      detail: false,
    });
    const afternoon = subscribe({
      doctorId,
      from: '2030-01-01T12:00:00Z',
      to: '2030-01-02T00:00:00Z',
      detail: false,
    });
    expect(live.stats.groups).toBe(1);

    const event = slotChanged('2030-01-01T10:00:00.000Z');
    await live.publish(event);
    expect(resolutions).toHaveLength(1);
    const expected = {
      data: {
        slotAvailabilityChanged: {
          slotId: event.payload.slotId,
          slot: { start: '2030-01-01T10:00:00.000Z' },
        },
      },
    };
    expect(await next(day)).toEqual(expected);
    expect(await next(morning)).toEqual(expected);
    expect(await next(afternoon)).toBeNull();

    // Outside every range: nothing to resolve.
    await live.publish(slotChanged('2030-01-05T10:00:00.000Z'));
    expect(resolutions).toHaveLength(1);
  });

  it('keeps subscribers apart when a variable of the selection differs', async () => {
    const { live, resolutions, subscribe } = hub();
    const range = { doctorId, from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' };
    const plain = subscribe({ ...range, detail: false });
    const detailed = subscribe({ ...range, detail: true });
    expect(live.stats.groups).toBe(2);

    await live.publish(slotChanged('2030-01-01T10:00:00.000Z'));
    expect(resolutions).toHaveLength(2);
    const slotOf = (result: ExecutionResult | null) =>
      (result?.data?.['slotAvailabilityChanged'] as { slot: unknown } | undefined)?.slot;
    expect(slotOf(await next(plain))).toEqual({ start: '2030-01-01T10:00:00.000Z' });
    expect(slotOf(await next(detailed))).toEqual({
      start: '2030-01-01T10:00:00.000Z',
      doctor: { name: 'Dr Jane Citizen' },
    });
  });

  it('forgets a group once its last audience leaves', async () => {
    const { live, subscribe } = hub();
    const first = subscribe({
      doctorId,
      from: '2030-01-01T00:00:00Z',
      to: '2030-01-02T00:00:00Z',
      detail: false,
    });
    const second = subscribe({
      doctorId,
      from: '2030-01-03T00:00:00Z',
      to: '2030-01-04T00:00:00Z',
      detail: false,
    });
    expect(live.stats).toMatchObject({ subscribers: 2, groups: 1 });
    await first.return?.();
    expect(live.stats).toMatchObject({ subscribers: 1, groups: 1 });
    await second.return?.();
    expect(live.stats).toMatchObject({ subscribers: 0, groups: 0 });
  });
});
