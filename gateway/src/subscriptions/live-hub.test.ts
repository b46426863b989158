import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createEvent,
  createLogger,
  InProcessEventBus,
  metrics,
  type EventBus,
  type Subscription,
} from '@clinic/platform';
import { buildSchema, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import { ResponseCache } from '../response-cache/response-cache';
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

/** The variables of DOCUMENT for the doctor, watching [from, to). */
const watching = (from: string, to: string, detail = false) => ({ doctorId, from, to, detail });

/** A hub whose federated queries are counted, each answering the same slot. */
function hub() {
  const resolutions: Record<string, unknown>[] = [];
  const live = new LiveHub({
    bus: new InProcessEventBus({ logger }),
    logger,
    schema: () => schema,
    runQuery: async ({ variables }) => {
      resolutions.push(variables);
      return { data: { entity: { start: '2030-01-01T10:00:00.000Z', doctor: { name: 'Dr Jane Citizen' } } } };
    },
  });
  const streams: AsyncIterableIterator<ExecutionResult>[] = [];
  const attempt = (variables: Record<string, unknown>, document: DocumentNode = DOCUMENT) =>
    live.subscribe({ document, operationName: 'Slots', variables, identity: null });
  const subscribe = (variables: Record<string, unknown>, document: DocumentNode = DOCUMENT) => {
    const stream = attempt(variables, document);
    if (!(Symbol.asyncIterator in stream)) throw new Error(`refused: ${JSON.stringify(stream.errors)}`);
    streams.push(stream);
    return stream;
  };
  const close = () => Promise.all(streams.map((stream) => stream.return?.()));
  return { live, resolutions, attempt, subscribe, close };
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

async function next(stream: AsyncIterableIterator<ExecutionResult>): Promise<ExecutionResult | undefined> {
  const result = await stream.next();
  return result.done ? undefined : result.value;
}

const change = (result: ExecutionResult | undefined) =>
  result?.data?.['slotAvailabilityChanged'] as { slotId?: string; slot?: unknown } | undefined;

describe('LiveHub sharing', () => {
  it('resolves an event once for subscribers that differ only in the ranges they watch, and sends it only where it falls', async () => {
    const { live, resolutions, subscribe, close } = hub();
    const day = subscribe(watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z'));
    const morning = subscribe(watching('2030-01-01T00:00:00Z', '2030-01-01T12:00:00Z'));
    const afternoon = subscribe(watching('2030-01-01T12:00:00Z', '2030-01-02T00:00:00Z'));
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
    // The afternoon's first update is one of its own: the morning's event never reached it.
    const later = slotChanged('2030-01-01T15:00:00.000Z');
    await live.publish(later);
    expect(change(await next(afternoon))?.slotId).toBe(later.payload.slotId);
    expect(resolutions).toHaveLength(2);

    // Outside every range: nothing to resolve.
    await live.publish(slotChanged('2030-01-05T10:00:00.000Z'));
    expect(resolutions).toHaveLength(2);
    await close();
  });

  it('keeps subscribers apart when a variable of the selection differs, in the field or in a fragment', async () => {
    const { live, resolutions, subscribe, close } = hub();
    const plain = subscribe(watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z', false));
    const detailed = subscribe(watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z', true));
    expect(live.stats.groups).toBe(2);

    await live.publish(slotChanged('2030-01-01T10:00:00.000Z'));
    expect(resolutions).toHaveLength(2);
    expect(change(await next(plain))?.slot).toEqual({ start: '2030-01-01T10:00:00.000Z' });
    expect(change(await next(detailed))?.slot).toEqual({
      start: '2030-01-01T10:00:00.000Z',
      doctor: { name: 'Dr Jane Citizen' },
    });

    const inFragment = parse(`
      subscription Slots($from: DateTime!, $to: DateTime!, $detail: Boolean!) {
        slotAvailabilityChanged(from: $from, to: $to) { ...Detail }
      }
      fragment Detail on SlotAvailabilityChange { slot { doctor @include(if: $detail) { name } } }`);
    const range = { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' };
    subscribe({ ...range, detail: false }, inFragment);
    subscribe({ ...range, detail: true }, inFragment);
    expect(live.stats.groups).toBe(4);
    await close();
  });

  it('refuses, at subscribe time, variables that do not fit the document and a second root node', () => {
    const { live, attempt } = hub();
    const code = (result: ReturnType<typeof attempt>) =>
      Symbol.asyncIterator in result ? 'accepted' : result.errors?.[0]?.extensions?.['code'];
    const range = watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z');
    expect(code(attempt({ ...range, doctorId: {} }))).toBe('BAD_USER_INPUT');
    expect(code(attempt({ doctorId, from: range.from, to: range.to }))).toBe('BAD_USER_INPUT');
    const twice = parse(`
      subscription Slots($from: DateTime!, $to: DateTime!, $detail: Boolean!) {
        x: slotAvailabilityChanged(from: $from, to: $to) { slotId }
        x: slotAvailabilityChanged(from: $from, to: $to) { slot { doctor @include(if: $detail) { name } } }
      }`);
    expect(code(attempt(range, twice))).toBe('BAD_REQUEST');
    expect(live.stats).toMatchObject({ subscribers: 0, groups: 0 });
  });

  it('forgets a group once its last audience leaves', async () => {
    const { live, subscribe } = hub();
    const first = subscribe(watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z'));
    const alsoFirst = subscribe(watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z'));
    const second = subscribe(watching('2030-01-03T00:00:00Z', '2030-01-04T00:00:00Z'));
    expect(live.stats).toMatchObject({ subscribers: 3, groups: 1 });
    await first.return?.();
    await second.return?.();
    expect(live.stats).toMatchObject({ subscribers: 1, groups: 1 });
    // The audience left behind still gets its events.
    const event = slotChanged('2030-01-01T10:00:00.000Z');
    await live.publish(event);
    expect(change(await next(alsoFirst))?.slotId).toBe(event.payload.slotId);
    await alsoFirst.return?.();
    expect(live.stats).toMatchObject({ subscribers: 0, groups: 0 });
  });
});

describe('LiveHub budgets', () => {
  const range = watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z');
  // A selection variable that changes nothing but the group key: the way to multiply resolutions.
  const VARYING = parse(`
    subscription Slots($from: DateTime!, $to: DateTime!, $n: Int!) {
      slotAvailabilityChanged(from: $from, to: $to) { slot { doctor { freeSlots(days: $n) { id } } } }
    }`);
  const bounded = (options: {
    maxGroupsPerSubject?: number;
    maxGroupsPerAddress?: number;
    maxEventBytes?: number;
  }) => {
    const resolutions: unknown[] = [];
    const live = new LiveHub({
      bus: new InProcessEventBus({ logger }),
      logger,
      schema: () => schema,
      runQuery: async ({ variables }) => {
        resolutions.push(variables);
        const ids = Array.from({ length: 200 }, () => ({ id: randomUUID() }));
        return { data: { entity: { doctor: { freeSlots: ids } } } };
      },
      ...options,
    });
    return { live, resolutions };
  };
  const codeOf = (result: AsyncIterableIterator<ExecutionResult> | ExecutionResult) =>
    Symbol.asyncIterator in result ? 'accepted' : result.errors?.[0]?.extensions?.['code'];

  it('refuses a subject a group beyond its bound, with a code, and lets it join groups it is in', async () => {
    const { live } = bounded({ maxGroupsPerSubject: 3 });
    const identity = { role: 'Patient' as const, subject: randomUUID() };
    const open = (n: number) =>
      live.subscribe({ document: VARYING, operationName: 'Slots', variables: { ...range, n }, identity });
    const streams = [open(1), open(2), open(3)];
    expect(streams.map(codeOf)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(codeOf(open(4))).toBe('RATE_LIMITED');
    // The same thing again shares a group it already has.
    const again = open(2);
    expect(codeOf(again)).toBe('accepted');
    // Someone else is not held back by this subject.
    const other = { role: 'Patient' as const, subject: randomUUID() };
    expect(
      codeOf(live.subscribe({ document: VARYING, variables: { ...range, n: 4 }, identity: other })),
    ).toBe('accepted');
    expect(live.stats.tooManyGroups).toBe(1);
    for (const stream of [...streams, again]) if (Symbol.asyncIterator in stream) await stream.return?.();
    expect(codeOf(open(4))).toBe('accepted');
    live.stop();
  });

  it('refuses an address a group beyond its bound, anonymous callers included', () => {
    const { live } = bounded({ maxGroupsPerAddress: 2 });
    const open = (n: number, address: string) =>
      live.subscribe({ document: VARYING, variables: { ...range, n }, identity: null, address });
    expect([open(1, '10.0.0.1'), open(2, '10.0.0.1'), open(3, '10.0.0.1')].map(codeOf)).toEqual([
      'accepted',
      'accepted',
      'RATE_LIMITED',
    ]);
    expect(codeOf(open(3, '10.0.0.2'))).toBe('accepted');
    live.stop();
  });

  it('sends a coded error instead of an event too large, ends the stream and forgets the group', async () => {
    const { live } = bounded({ maxEventBytes: 4 * 1024 });
    const stream = live.subscribe({ document: VARYING, variables: { ...range, n: 31 }, identity: null });
    if (!(Symbol.asyncIterator in stream)) throw new Error('refused');
    await live.publish(slotChanged('2030-01-01T10:00:00.000Z'));
    const result = await next(stream);
    expect(result?.data).toBeNull();
    expect(result?.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result?.errors?.[0]?.message).not.toMatch(/\d/);
    expect(await next(stream)).toBeUndefined();
    expect(live.stats.eventsTooLarge).toBe(1);
    expect(live.holdings()).toEqual({ groups: 0, audiences: 0, subscribers: 0, owners: 0 });
  });

  it('writes the error and a complete frame to a stream it writes itself, then closes it', async () => {
    const { live } = bounded({ maxEventBytes: 4 * 1024 });
    const frames: string[] = [];
    let closed = false;
    let leave: (() => void) | ExecutionResult = () => undefined;
    leave = live.attach(
      { document: VARYING, variables: { ...range, n: 31 }, identity: null, address: '10.0.0.3' },
      {
        write: (frame) => frames.push(frame.bytes.toString()),
        close: () => {
          closed = true;
          if (typeof leave === 'function') leave();
        },
      },
    );
    await live.publish(slotChanged('2030-01-01T10:00:00.000Z'));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatch(/GRAPHQL_VALIDATION_FAILED[\s\S]*event: complete/);
    expect(frames[0]?.length).toBeLessThan(1024);
    expect(closed).toBe(true);
    expect(live.holdings()).toEqual({ groups: 0, audiences: 0, subscribers: 0, owners: 0 });
  });

  it('holds nothing for a subscriber once it has received and left', async () => {
    const { live } = bounded({});
    const identity = { role: 'Patient' as const, subject: randomUUID() };
    const streams = [1, 2, 3].map((n) => {
      const stream = live.subscribe({
        document: VARYING,
        variables: { ...range, n },
        identity,
        address: '10.0.0.4',
      });
      if (!(Symbol.asyncIterator in stream)) throw new Error('refused');
      return stream;
    });
    expect(live.holdings()).toEqual({ groups: 3, audiences: 3, subscribers: 3, owners: 2 });
    await live.publish(slotChanged('2030-01-01T10:00:00.000Z'));
    for (const stream of streams) expect((await next(stream))?.errors).toBeUndefined();
    for (const stream of streams) await stream.return?.();
    expect(live.holdings()).toEqual({ groups: 0, audiences: 0, subscribers: 0, owners: 0 });
    expect(live.stats).toMatchObject({ subscribers: 0, groups: 0 });
  });
});

describe('LiveHub metrics', () => {
  const value = async (
    metric: { get(): Promise<{ values: { value: number; metricName?: string }[] }> },
    name?: string,
  ) =>
    (await metric.get()).values
      .filter((sample) => name === undefined || sample.metricName === name)
      .reduce((total, sample) => total + sample.value, 0);

  it('counts open subscribers, results fanned out and their lag from the event', async () => {
    const { live, subscribe, close } = hub();
    const before = {
      fannedOut: await value(metrics.liveFannedOut),
      lagCount: await value(metrics.liveFanoutLag, 'live_fanout_lag_seconds_count'),
    };
    const streams = [
      subscribe(watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z')),
      subscribe(watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z', true)),
    ];
    expect(await value(metrics.liveSubscribers)).toBe(2);
    await live.publish(slotChanged('2030-01-01T10:00:00.000Z'));
    for (const stream of streams) expect(change(await next(stream))).toBeDefined();
    expect(await value(metrics.liveFannedOut)).toBe(before.fannedOut + 2);
    expect(await value(metrics.liveFanoutLag, 'live_fanout_lag_seconds_count')).toBe(before.lagCount + 2);
    await close();
    expect(await value(metrics.liveSubscribers)).toBe(0);
  });

  it('counts a subscriber cut off for falling behind', async () => {
    const live = new LiveHub({
      bus: new InProcessEventBus({ logger }),
      logger,
      schema: () => schema,
      runQuery: async () => ({ data: { entity: { start: '2030-01-01T10:00:00.000Z' } } }),
      maxQueuedPerSubscriber: 1,
    });
    const before = await value(metrics.liveSlowConsumersCut);
    const stream = live.subscribe({
      document: DOCUMENT,
      operationName: 'Slots',
      variables: watching('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z'),
      identity: null,
    });
    expect(Symbol.asyncIterator in stream).toBe(true);
    // Nobody reads: the second result waiting is one too many.
    for (let event = 0; event < 3; event++) await live.publish(slotChanged('2030-01-01T10:00:00.000Z'));
    expect(live.stats.slowConsumersCut).toBe(1);
    expect(await value(metrics.liveSlowConsumersCut)).toBe(before + 1);
  });
});

describe('what the hub derives from the streams', () => {
  it('empties the response cache when a message cannot be read (an event of a newer service in a rolling deploy)', async () => {
    const subscriptions: Subscription[] = [];
    const bus = { subscribe: async (subscription: Subscription) => void subscriptions.push(subscription) };
    const cache = new ResponseCache();
    const live = new LiveHub({
      bus: bus as unknown as EventBus,
      logger,
      schema: () => schema,
      runQuery: async () => ({ data: null }),
      observer: cache,
    });
    await live.start();
    for (const subscription of subscriptions) subscription.onContinuity?.(true);
    cache.begin('directory', []).settle({ clinics: [] });
    expect(cache.lookup('directory')).toBeDefined();
    subscriptions[0]?.onUnreadable?.();
    expect(cache.lookup('directory')).toBeUndefined();
  });
});
