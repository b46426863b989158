import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import fc from 'fast-check';
import type { SlotDependency } from './dependencies';
import { ResponseCache } from './response-cache';

const DOCTORS = ['d0', 'd1', 'd2'].map(() => randomUUID());
const CLINIC = randomUUID();
const HOUR = 3_600_000;
const T0 = Date.parse('2027-04-05T00:00:00Z');

function slotChanged(doctor: number, hour: number): EventEnvelope {
  const start = new Date(T0 + hour * HOUR).toISOString();
  return {
    eventId: randomUUID(),
    type: 'slot.changed',
    occurredAt: new Date(T0).toISOString(),
    aggregateId: randomUUID(),
    correlationId: randomUUID(),
    actor: { role: 'System', subject: 'test' },
    version: 1,
    payload: {
      slotId: randomUUID(),
      doctorId: DOCTORS[doctor] as string,
      clinicId: CLINIC,
      start,
      end: new Date(T0 + (hour + 1) * HOUR).toISOString(),
      status: 'busy',
    },
  } as unknown as EventEnvelope;
}

const doctorDay = (doctor: number, fromHour: number, toHour: number): SlotDependency[] => [
  { subject: `doctor:${DOCTORS[doctor] as string}`, from: T0 + fromHour * HOUR, to: T0 + toHour * HOUR },
];

function trustedCache(options: ConstructorParameters<typeof ResponseCache>[0] = {}): ResponseCache {
  const cache = new ResponseCache(options);
  cache.setContinuity(true);
  return cache;
}

describe('the response cache', () => {
  it('serves nothing and stores nothing until the event stream is continuous, and drops all at a gap', () => {
    const cache = new ResponseCache();
    expect(cache.begin('k', []).settle({ v: 1 })).toBeNull();
    cache.setContinuity(true);
    cache.begin('k', []).settle({ v: 1 });
    expect(cache.lookup('k')?.data).toEqual({ v: 1 });
    cache.setContinuity(false);
    expect(cache.lookup('k')).toBeUndefined();
    expect(cache.trusted).toBe(false);
  });

  it("drops an answer when a slot it lists changes, and only then: another doctor's or another time's change leaves it", () => {
    const cache = trustedCache();
    cache.begin('mine', doctorDay(0, 0, 24)).settle({ v: 'mine' });
    cache.apply(slotChanged(1, 3));
    cache.apply(slotChanged(0, 30));
    expect(cache.lookup('mine')?.data).toEqual({ v: 'mine' });
    cache.apply(slotChanged(0, 3));
    expect(cache.lookup('mine')).toBeUndefined();
  });

  it('drops everything on a doctor.* event (a status, telehealth or availability change)', () => {
    const cache = trustedCache();
    cache.begin('directory', []).settle({ v: 1 });
    cache.apply({
      ...slotChanged(0, 1),
      type: 'doctor.status-changed',
      payload: { doctorId: DOCTORS[0], clinicId: CLINIC, status: 'unavailable' },
    } as unknown as EventEnvelope);
    expect(cache.lookup('directory')).toBeUndefined();
  });

  it('never stores an answer whose execution began before a change it depends on', () => {
    const cache = trustedCache();
    const flight = cache.begin('k', doctorDay(0, 0, 24));
    cache.apply(slotChanged(0, 5));
    expect(flight.settle({ v: 'read before the change' })).toBeNull();
    expect(cache.lookup('k')).toBeUndefined();
  });

  it('does not let a caller who arrives after a change wait for an execution that began before it', async () => {
    const cache = trustedCache();
    const flight = cache.begin('k', doctorDay(0, 0, 24));
    expect(cache.inFlight('k')).toBeDefined();
    cache.apply(slotChanged(0, 5));
    expect(cache.inFlight('k')).toBeUndefined();
    flight.settle({ v: 1 });
  });

  it('drops everything on an event type it does not know (a newer service in a rolling deploy)', () => {
    const cache = trustedCache();
    cache.begin('k', doctorDay(0, 0, 24)).settle({ v: 1 });
    cache.apply({ ...slotChanged(2, 40), type: 'slot.renamed' } as unknown as EventEnvelope);
    expect(cache.lookup('k')).toBeUndefined();
  });

  it('forgets expired answers nobody asks for again, and fences executions at a reset', () => {
    let now = T0;
    const cache = trustedCache({ ttlMs: 1000, now: () => now });
    for (let i = 0; i < 200; i++) cache.begin(`old-${i}`, []).settle({ i });
    now += 1000;
    for (let i = 0; i < 300; i++) cache.begin(`new-${i}`, []).settle({ i });
    expect(cache.size.entries).toBeLessThanOrEqual(300);
    const running = cache.begin('k', []);
    cache.reset();
    expect(running.settle({ v: 'read on the old schema' })).toBeNull();
  });

  it('expires answers after the TTL', () => {
    let now = T0;
    const cache = trustedCache({ ttlMs: 1000, now: () => now });
    cache.begin('k', []).settle({ v: 1 });
    now += 999;
    expect(cache.lookup('k')).toBeDefined();
    now += 1;
    expect(cache.lookup('k')).toBeUndefined();
  });

  it('holds at most maxEntries and maxBytes, least recently used out first', () => {
    const cache = trustedCache({ maxEntries: 3, maxBytes: 16 * 200 });
    for (const key of ['a', 'b', 'c']) cache.begin(key, []).settle({ key });
    cache.lookup('a');
    cache.begin('d', []).settle({ key: 'd' });
    expect(['a', 'b', 'c', 'd'].filter((key) => cache.lookup(key))).toEqual(['a', 'c', 'd']);
    cache.begin('big', []).settle({ blob: 'x'.repeat(150) });
    expect(cache.size.bytes).toBeLessThanOrEqual(16 * 200);
    expect(cache.size.entries).toBeLessThanOrEqual(3);
  });

  it('counts what a refresh holds (the operation to run again) with its answer, so no caller can pad past maxBytes', () => {
    const cache = trustedCache({ maxBytes: 1_000_000 });
    const heavy = { run: async () => undefined, bytes: 50_000 };
    for (let i = 0; i < 60; i++) cache.begin(`k${i}`, []).settle({ v: i }, heavy);
    expect(cache.size.bytes).toBeLessThanOrEqual(1_000_000);
    expect(cache.size.entries).toBeLessThanOrEqual(20);
    // The latest are kept, and each still answers what was stored.
    expect(cache.lookup('k59')?.data).toEqual({ v: 59 });
  });

  it('scans at most 1,000 answers of one doctor, clinic or of anyone per event, and drops them all beyond', () => {
    // Answers parked on days the change does not touch: scanned one by one up to the bound, kept.
    const parked = (subject: SlotDependency['subject'], count: number) => {
      const cache = trustedCache();
      for (let i = 0; i < count; i++)
        cache
          .begin(`k${i}`, [{ subject, from: T0 + (100 + i) * 24 * HOUR, to: T0 + (101 + i) * 24 * HOUR }])
          .settle({ v: i });
      cache.apply(slotChanged(0, 3));
      return cache.size.entries;
    };
    for (const subject of [`doctor:${DOCTORS[0] as string}`, `clinic:${CLINIC}`, '*'] as const) {
      expect(parked(subject, 1_000)).toBe(1_000);
      expect(parked(subject, 1_001)).toBe(0);
    }
  });

  describe('refresh-ahead', () => {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    function refreshing() {
      const started: string[] = [];
      const finish: (() => void)[] = [];
      const refresh = (key: string) => ({
        run: () => {
          started.push(key);
          return new Promise<void>((resolve) => finish.push(resolve));
        },
        bytes: 0,
      });
      const finishAll = async () => {
        while (finish.length > 0) finish.shift()?.();
        await turn();
      };
      return { started, refresh, finishAll };
    }

    it('refreshes only the dropped answers a caller got lately, once the event is applied, two at a time', async () => {
      let now = T0;
      const cache = trustedCache({ now: () => now });
      const { started, refresh, finishAll } = refreshing();
      for (const key of ['old', 'a', 'b', 'c', 'unread'])
        cache.begin(key, doctorDay(0, 0, 24)).settle({ key }, refresh(key));
      cache.begin('other doctor', doctorDay(1, 0, 24)).settle({}, refresh('other doctor'));
      cache.begin('no refresher', doctorDay(0, 0, 24)).settle({});
      cache.lookup('old');
      now += 5_000;
      for (const key of ['a', 'b', 'c', 'other doctor', 'no refresher']) cache.lookup(key);
      cache.apply(slotChanged(0, 3));
      // Not while the event is applied: a refresh reads the state after it.
      expect(started).toEqual([]);
      await turn();
      expect(started).toEqual(['a', 'b']);
      await finishAll();
      expect(started).toEqual(['a', 'b', 'c']);
      await finishAll();
      expect(started).toEqual(['a', 'b', 'c']);
    });

    it('does not refresh again an answer nobody read since its refresh, and forgets what waits at a gap', async () => {
      const cache = trustedCache({ refreshConcurrency: 1 });
      const { started, refresh, finishAll } = refreshing();
      for (const key of ['a', 'b']) cache.begin(key, doctorDay(0, 0, 24)).settle({ key }, refresh(key));
      cache.lookup('a');
      cache.lookup('b');
      cache.apply(slotChanged(0, 3));
      await turn();
      expect(started).toEqual(['a']);
      cache.setContinuity(false);
      cache.setContinuity(true);
      // The refresh stores its answer, which no caller reads before the next change.
      cache.begin('a', doctorDay(0, 0, 24)).settle({ key: 'a' }, refresh('a'));
      await finishAll();
      cache.apply(slotChanged(0, 4));
      await finishAll();
      expect(started).toEqual(['a']);
    });
  });

  // The promise, under any interleaving: once the event of a change has been applied, no lookup returns an
  // answer read before it, whether stored before the change or by an execution that began before it.
  it('never serves an answer older than a change it has applied, under any interleaving (property)', () => {
    type Step =
      | { kind: 'begin'; doctor: number; fromHour: number }
      | { kind: 'settle'; index: number }
      | { kind: 'change'; doctor: number; hour: number }
      | { kind: 'gap' }
      | { kind: 'lookup'; doctor: number; fromHour: number };
    const doctor = fc.integer({ min: 0, max: 2 });
    const hour = fc.integer({ min: 0, max: 47 });
    const step: fc.Arbitrary<Step> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('begin' as const),
          doctor,
          fromHour: fc.constantFrom(0, 24),
        }),
      },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('settle' as const), index: fc.nat(20) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('change' as const), doctor, hour }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'gap' as const }) },
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('lookup' as const),
          doctor,
          fromHour: fc.constantFrom(0, 24),
        }),
      },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 120 }), (steps) => {
        const cache = trustedCache({ maxEntries: 4 });
        // The "database": a version per doctor and day, bumped by each change.
        const version = new Map<string, number>();
        const keyOf = (d: number, fromHour: number) => `${d}:${fromHour}`;
        const running: { key: string; flight: ReturnType<ResponseCache['begin']>; read: number }[] = [];
        for (const next of steps) {
          if (next.kind === 'begin') {
            const key = keyOf(next.doctor, next.fromHour);
            running.push({
              key,
              flight: cache.begin(key, doctorDay(next.doctor, next.fromHour, next.fromHour + 24)),
              read: version.get(key) ?? 0,
            });
          } else if (next.kind === 'settle') {
            const [run] = running.splice(next.index % Math.max(running.length, 1), 1);
            run?.flight.settle({ version: run.read });
          } else if (next.kind === 'change') {
            const key = keyOf(next.doctor, next.hour < 24 ? 0 : 24);
            version.set(key, (version.get(key) ?? 0) + 1);
            cache.apply(slotChanged(next.doctor, next.hour));
          } else if (next.kind === 'gap') {
            cache.setContinuity(false);
            cache.setContinuity(true);
          } else {
            const key = keyOf(next.doctor, next.fromHour);
            const served = cache.lookup(key);
            if (served && served.data['version'] !== (version.get(key) ?? 0)) return false;
          }
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
