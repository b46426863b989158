import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { appError, type EventEnvelope, type Identity } from '@clinic/contracts';
import { createLogger, metrics } from '@clinic/platform';
import { admissionOnce, fastHits, fingerprintOf } from './fast-hits';
import { ResponseCache } from './response-cache';

/**
 * Attacks on the fast path in front of Apollo's pipeline. A stand-in for the pipeline answers whatever
 * reaches it with `"pipeline"` and, as the response cache's plugin does, remembers the request's
 * fingerprint against the entry it "answered from" (the one test names), so a repeated request may
 * then be answered before it. Every test checks which of the two answered.
 */
const DOCTOR = randomUUID();
const CLINIC = randomUUID();
const T0 = Date.parse('2027-04-05T00:00:00Z');
const QUERY =
  'query Page($f: AvailableSlotsFilter!) { availableSlots(filter: $f) { edges { node { id } } } }';
const ENTRY = 'entry-key';

const tokens: Record<string, Identity> = {
  patient: { role: 'Patient', subject: randomUUID() },
  'admin-a': { role: 'ClinicAdmin', subject: 'a', clinicId: 'clinic-a' },
  'admin-b': { role: 'ClinicAdmin', subject: 'b', clinicId: 'clinic-b' },
  'sys-admin': { role: 'SystemAdministrator', subject: 's' },
} as Record<string, Identity>;

interface Harness {
  url: string;
  cache: ResponseCache;
  /** Requests the pipeline stand-in answered. */
  pipeline: number;
  /** Token checks and rate limits taken, per request. */
  checks: number;
  limited: Set<string>;
  refusedText: boolean;
  trustRecorded: number;
  /** Runs in the pipeline stand-in after it answered and before it remembers the request. */
  beforeRemember: (() => void) | undefined;
  stop(): Promise<void>;
}

let harness: Harness;

beforeEach(async () => {
  const cache = new ResponseCache();
  cache.setContinuity(true);
  const state = {
    pipeline: 0,
    checks: 0,
    trustRecorded: 0,
    refusedText: false,
    limited: new Set<string>(),
    beforeRemember: undefined as (() => void) | undefined,
  };
  const admission = admissionOnce(async (request) => {
    state.checks++;
    const token = request.headers.authorization?.replace('Bearer ', '');
    const identity = token ? (tokens[token] ?? null) : null;
    if (token && state.limited.has(token)) throw appError('RATE_LIMITED', 'slow down');
    return identity;
  });
  const app = express();
  app.use(express.json());
  app.use(
    '/graphql',
    fastHits({
      cache,
      admission,
      trust: {
        // Unregistered text, in enforce mode: only the system administrator's role may send it.
        opens: (_hash, identity) => !state.refusedText || identity?.role === 'SystemAdministrator',
        record: () => void state.trustRecorded++,
      },
      logger: createLogger('gateway', 'silent'),
    }),
    async (request, response) => {
      state.pipeline++;
      try {
        await admission(request);
      } catch {
        response.status(429).json({ errors: [{ message: 'limited' }] });
        return;
      }
      const fingerprint = fingerprintOf(request);
      const answeredFromEntry = cache.trusted && cache.lookup(ENTRY) !== undefined;
      state.beforeRemember?.();
      if (fingerprint && answeredFromEntry && !(state.refusedText && !request.headers.authorization))
        cache.rememberRequest(fingerprint, { key: ENTRY, operation: 'availableSlots' });
      response.json({ data: 'pipeline' });
    },
  );
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const store = (data: Record<string, unknown>) =>
    cache.begin(ENTRY, [{ subject: `doctor:${DOCTOR}`, from: T0, to: T0 + 86_400_000 }]).settle(data);
  store({ availableSlots: 'cached' });
  harness = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    cache,
    get pipeline() {
      return state.pipeline;
    },
    get checks() {
      return state.checks;
    },
    limited: state.limited,
    get refusedText() {
      return state.refusedText;
    },
    set refusedText(value: boolean) {
      state.refusedText = value;
    },
    get trustRecorded() {
      return state.trustRecorded;
    },
    get beforeRemember() {
      return state.beforeRemember;
    },
    set beforeRemember(hook: (() => void) | undefined) {
      state.beforeRemember = hook;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
afterEach(() => harness.stop());

const variables = { f: { doctorId: DOCTOR, fromDate: '2027-04-05', toDate: '2027-04-06' } };

async function post(
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ via: 'fast' | 'pipeline'; status: number; text: string; headers: Headers }> {
  const before = harness.pipeline;
  const response = await fetch(harness.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    via: harness.pipeline > before ? 'pipeline' : 'fast',
    status: response.status,
    text,
    headers: response.headers,
  };
}

const read = (token?: string, vars: unknown = variables, extra: Record<string, unknown> = {}) =>
  post({ query: QUERY, variables: vars, ...extra }, token ? { authorization: `Bearer ${token}` } : {});

it('answers a request the pipeline already answered from an entry with that entry, as Apollo serialises it', async () => {
  expect((await read()).via).toBe('pipeline');
  const again = await read();
  expect(again.via).toBe('fast');
  expect(again.status).toBe(200);
  expect(again.text).toBe(`${JSON.stringify({ data: { availableSlots: 'cached' } })}\n`);
  expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(harness.cache.fastHits).toBe(1);
});

it('never answers one scope from what another scope was answered: anonymous, patient, two clinics', async () => {
  for (const token of [undefined, 'patient', 'admin-a', 'admin-b', 'sys-admin']) {
    expect((await read(token)).via).toBe('pipeline');
    expect((await read(token)).via).toBe('fast');
  }
});

it('sends unregistered text the caller may not send to the pipeline, even when the same scope was answered before', async () => {
  await read();
  expect((await read()).via).toBe('fast');
  const recorded = harness.trustRecorded;
  harness.refusedText = true;
  expect((await read()).via).toBe('pipeline');
  expect((await read('sys-admin')).via).toBe('pipeline');
  expect((await read('sys-admin')).via).toBe('fast');
  // Counted once per request it answered, as the pipeline's plugin counts.
  expect(harness.trustRecorded).toBe(recorded + 1);
});

it('checks the token and takes the rate limit exactly once per request, and a limited caller never gets a fast answer', async () => {
  // Both scopes remembered: a limited caller must not pass for anonymous either.
  await read();
  await read('patient');
  const checks = harness.checks;
  expect((await read('patient')).via).toBe('fast');
  expect(harness.checks).toBe(checks + 1);
  harness.limited.add('patient');
  const limited = await read('patient');
  expect(limited.via).toBe('pipeline');
  expect(limited.status).toBe(429);
  expect(harness.checks).toBe(checks + 2);
});

it('goes back to the pipeline once an event drops the entry, and after a gap in the stream', async () => {
  await read();
  expect((await read()).via).toBe('fast');
  harness.cache.apply(slotChanged(T0 + 3_600_000));
  expect((await read()).via).toBe('pipeline');
  harness.cache.begin(ENTRY, []).settle({ availableSlots: 'after the change' });
  const fresh = await read();
  expect(fresh.via).toBe('fast');
  expect(fresh.text).toContain('after the change');
  harness.cache.setContinuity(false);
  expect((await read()).via).toBe('pipeline');
  harness.cache.setContinuity(true);
  harness.cache.begin(ENTRY, []).settle({ availableSlots: 'cached' });
  // The gap forgot every remembered request: the pipeline decides again.
  expect((await read()).via).toBe('pipeline');
});

it('keys on the variables as sent: any other value, name or extra is the pipeline’s first', async () => {
  await read();
  expect((await read(undefined, { f: { ...variables.f } })).via).toBe('fast');
  // Key order is not a difference; everything else is, even what coerces to the same value.
  expect(
    (await read(undefined, { f: { toDate: '2027-04-06', fromDate: '2027-04-05', doctorId: DOCTOR } })).via,
  ).toBe('fast');
  for (const other of [
    { f: { ...variables.f, doctorId: randomUUID() } },
    { f: { ...variables.f, toDate: '2027-04-07' } },
    { f: { ...variables.f }, extra: 1 },
    { f: { ...variables.f, timeZone: null } },
    {},
    null,
  ])
    expect((await read(undefined, other)).via).toBe('pipeline');
  expect((await read(undefined, variables, { operationName: 'Page' })).via).toBe('pipeline');
  expect((await read(undefined, variables, { operationName: '' })).via).toBe('pipeline');
});

it('leaves batches, extensions, other answer types and GETs to the pipeline', async () => {
  await read();
  expect((await post([{ query: QUERY, variables }])).via).toBe('pipeline');
  expect((await read(undefined, variables, { extensions: {} })).via).toBe('pipeline');
  expect(
    (
      await post(
        { query: QUERY, variables },
        { accept: 'application/graphql-response+json;q=0.5, text/html' },
      )
    ).via,
  ).toBe('pipeline');
  const before = harness.pipeline;
  await fetch(
    `${harness.url}?${new URLSearchParams({ query: QUERY, variables: JSON.stringify(variables) })}`,
  );
  expect(harness.pipeline).toBe(before + 1);
});

it('counts a fast answer as a hit and as an operation, as the pipeline would', async () => {
  await read();
  const hits = async () =>
    (await metrics.responseCacheLookups.get()).values.find(({ labels }) => labels['result'] === 'hit')
      ?.value ?? 0;
  const operations = async () =>
    (await metrics.graphqlOperations.get()).values.find(
      ({ labels }) => labels['operation'] === 'availableSlots' && labels['outcome'] === 'ok',
    )?.value ?? 0;
  const [h, o] = [await hits(), await operations()];
  expect((await read()).via).toBe('fast');
  expect(await hits()).toBe(h + 1);
  expect(await operations()).toBe(o + 1);
});

function slotChanged(start: number): EventEnvelope {
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
      doctorId: DOCTOR,
      clinicId: CLINIC,
      start: new Date(start).toISOString(),
      end: new Date(start + 3_600_000).toISOString(),
      status: 'busy',
    },
  } as unknown as EventEnvelope;
}

it('sends deeply nested or oversized undeclared variables to the pipeline, never a 5xx', async () => {
  await read();
  const send = async (extra: string) => {
    const before = harness.pipeline;
    const body = `{"query":${JSON.stringify(QUERY)},"variables":{"f":${JSON.stringify(variables.f)},"x":${extra}}}`;
    const answer = await fetch(harness.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: answer.status, via: harness.pipeline > before ? 'pipeline' : 'fast' };
  };
  // Written out by hand: JSON.stringify itself runs out of stack on 5,000 levels.
  expect(await send(`${'['.repeat(5_000)}"leaf"${']'.repeat(5_000)}`)).toEqual({
    status: 200,
    via: 'pipeline',
  });
  expect(await send(JSON.stringify('y'.repeat(4_000)))).toEqual({ status: 200, via: 'pipeline' });
  expect(await send('{"a":1}')).toEqual({ status: 200, via: 'pipeline' });
});

it('never lets a number JSON cannot write pass for null', async () => {
  const withNull = { f: { ...variables.f, doctorId: null } };
  await read(undefined, withNull);
  expect((await read(undefined, withNull)).via).toBe('fast');
  // 1e999 parses as Infinity, which JSON writes as null; the pipeline must see (and refuse) it.
  const body = JSON.stringify({ query: QUERY, variables: withNull }).replace(
    '"doctorId":null',
    '"doctorId":1e999',
  );
  const before = harness.pipeline;
  await fetch(harness.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(harness.pipeline).toBe(before + 1);
});

it('forgets a request remembered after a reset that it began before', async () => {
  // The pipeline answers from an entry of the old schema, a reset comes, and only then is the request
  // remembered (as a request in flight across a schema update would be).
  harness.beforeRemember = () => {
    harness.cache.reset();
    harness.cache.begin(ENTRY, []).settle({ availableSlots: 'new schema' });
  };
  await read();
  harness.beforeRemember = undefined;
  expect((await read()).via).toBe('pipeline');
  expect((await read()).via).toBe('fast');
});
