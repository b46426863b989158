import {
  createLogger,
  INTERNAL_IDENTITY_HEADER,
  signInternalIdentity,
  type RunningServer,
} from '@clinic/platform';
import { startTestSystem, type TestSystem } from '../test-system';
import { createTokenVerifier } from '../../gateway/src/auth/verify-token';
import { startGateway } from '../../gateway/src/gateway';
import type { HardeningOptions } from '../../gateway/src/hardening/options';
import { HOSTILE_CORPUS, NORMAL_QUERY, send, type CorpusEntry } from './hostile-corpus';

let system: TestSystem;
const extraGateways: RunningServer[] = [];

beforeAll(async () => {
  system = await startTestSystem();
}, 600_000);
afterAll(async () => {
  for (const gateway of extraGateways) await gateway.stop();
  await system?.stop();
});

/** Another gateway in front of the same subgraphs, with its own mode and limits. */
async function gatewayWith(hardening: Partial<HardeningOptions>): Promise<string> {
  const gateway = await startGateway({
    port: 0,
    subgraphs: system.subgraphUrls,
    verifyToken: createTokenVerifier({ publicKey: system.signingKey.publicKey }),
    internalIdentitySecret: system.internalIdentitySecret,
    hardening,
    logger: createLogger('gateway', 'silent'),
  });
  extraGateways.push(gateway);
  return gateway.url;
}

const messagesOf = (body: string): string[] => {
  const parsed = JSON.parse(body) as { errors?: { message: string }[] };
  return parsed.errors?.map((error) => error.message) ?? [];
};

describe('a hostile corpus', () => {
  it.each(HOSTILE_CORPUS.map((entry) => [entry.name, entry] as const))(
    '%s is refused with a clear, coded error that names no limit',
    async (_name, entry: CorpusEntry) => {
      const response = await send(system.gatewayUrl, entry);
      expect({ status: response.status, code: response.code }).toEqual({
        status: entry.expect.status,
        code: entry.expect.code,
      });
      const messages = messagesOf(response.body);
      expect(messages.join(' ')).toMatch(entry.expect.message);
      // The limits stay ours: no number reaches the client, nor a stack trace.
      for (const message of messages) expect(message.replace('UTF-8', 'UTF')).not.toMatch(/\d/);
      expect(response.body).not.toMatch(/stacktrace|at .*\.js:\d+/);
    },
  );

  it('is refused as a whole while a normal query keeps answering', async () => {
    const normal = () => send(system.gatewayUrl, NORMAL_QUERY);
    const results = await Promise.all([
      normal(),
      ...HOSTILE_CORPUS.map((entry) => send(system.gatewayUrl, entry)),
      normal(),
      ...HOSTILE_CORPUS.map((entry) => send(system.gatewayUrl, entry)),
      normal(),
    ]);
    const normals = [results[0], results[HOSTILE_CORPUS.length + 1], results.at(-1)];
    for (const result of normals) {
      expect(result?.status).toBe(200);
      expect(JSON.parse(result?.body ?? '{}')).toMatchObject({ data: { clinics: expect.any(Array) } });
    }
    const hostile = results.filter((result) => !normals.includes(result));
    // Each refused: an error status, or (a subscription over SSE) a stream whose one event is an error.
    expect(hostile.filter((result) => result.status < 400 && result.code === undefined)).toEqual([]);
  });
});

describe('development and production modes', () => {
  const introspection = '{ __schema { queryType { name } } }';

  it('allows introspection and field suggestions in development only', async () => {
    const production = await gatewayWith({ mode: 'production' });
    const development = await gatewayWith({ mode: 'development' });

    const devSchema = await system.graphql(introspection);
    expect(devSchema.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const prodSchema = await send(production, { name: 'introspection', body: { query: introspection } });
    expect(prodSchema.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(messagesOf(prodSchema.body)[0]).toMatch(/introspection is not allowed/i);

    const typo = { name: 'typo', body: { query: '{ clinicz { name } }' } };
    expect(messagesOf((await send(development, typo)).body)[0]).toMatch(/Did you mean .*"clinics"/);
    const hidden = messagesOf((await send(production, typo)).body)[0];
    expect(hidden).toMatch(/Cannot query field "clinicz"/);
    expect(hidden).not.toMatch(/clinics|Did you mean/);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a subject has spent its operations, counting each in a batch', async () => {
    const url = await gatewayWith({ subjectRequestsPerMinute: 4 });
    const token = await system.token({ role: 'SystemAdministrator', subject: 'staff-rate-1' });
    const authorization = `Bearer ${token}`;
    const batch = {
      name: 'batch of three',
      headers: { authorization },
      body: [1, 2, 3].map(() => NORMAL_QUERY.body),
    };
    expect((await send(url, batch)).status).toBe(200);
    expect((await send(url, { ...NORMAL_QUERY, headers: { authorization } })).status).toBe(200);
    const limited = await send(url, { ...NORMAL_QUERY, headers: { authorization } });
    expect(limited.status).toBe(429);
    expect(limited.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another subject, and anonymous callers, are not held back by this one.
    const other = await system.token({ role: 'SystemAdministrator', subject: 'staff-rate-2' });
    expect((await send(url, { ...NORMAL_QUERY, headers: { authorization: `Bearer ${other}` } })).status).toBe(
      200,
    );
    expect((await send(url, NORMAL_QUERY)).status).toBe(200);
  });

  it('answers 429 with Retry-After once an address has spent its requests, signed in or not', async () => {
    const url = await gatewayWith({ ipRequestsPerMinute: 2 });
    expect((await send(url, NORMAL_QUERY)).status).toBe(200);
    expect((await send(url, NORMAL_QUERY)).status).toBe(200);
    const limited = await send(url, NORMAL_QUERY);
    expect(limited.status).toBe(429);
    expect(limited.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('works on one address’s requests one at a time, queues a few and answers 429 beyond those', async () => {
    const url = await gatewayWith({
      ipConcurrentRequests: 1,
      ipQueuedRequests: 1,
      ipRequestsPerMinute: 1000,
    });
    const responses = await Promise.all(Array.from({ length: 6 }, () => send(url, NORMAL_QUERY)));
    const answered = responses.filter((response) => response.status === 200);
    const limited = responses.filter((response) => response.status === 429);
    expect(answered.length + limited.length).toBe(6);
    expect(answered.length).toBeGreaterThanOrEqual(2);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    for (const response of limited) {
      expect(response.code).toBe('RATE_LIMITED');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('subgraphs behind the gateway', () => {
  const query = JSON.stringify({ query: '{ clinics { name } }' });
  const post = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: query });

  it('answer a direct call without the signed identity with a bare 401, and health checks still', async () => {
    const direct = await post(system.subgraphUrls.doctors);
    expect(direct.status).toBe(401);
    expect(await direct.text()).toBe('');
    const forged = await post(system.subgraphUrls.doctors, {
      [INTERNAL_IDENTITY_HEADER]: await signInternalIdentity('a'.repeat(32), null, 'req-1'),
      'x-correlation-id': 'req-1',
    });
    expect(forged.status).toBe(401);
    const health = await fetch(new URL('/healthz', system.subgraphUrls.doctors));
    expect(health.status).toBe(200);
  });

  it('answer a call signed with the shared secret for this very request', async () => {
    const signed = await post(system.subgraphUrls.doctors, {
      [INTERNAL_IDENTITY_HEADER]: await signInternalIdentity(system.internalIdentitySecret, null, 'req-2'),
      'x-correlation-id': 'req-2',
    });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({ data: { clinics: expect.any(Array) } });
    const replayed = await post(system.subgraphUrls.doctors, {
      [INTERNAL_IDENTITY_HEADER]: await signInternalIdentity(system.internalIdentitySecret, null, 'req-2'),
      'x-correlation-id': 'req-3',
    });
    expect(replayed.status).toBe(401);
  });

  it('cut off a subgraph that misses its deadline with a retryable error that says nothing more', async () => {
    const url = await gatewayWith({ subgraphTimeoutMs: 1 });
    const response = await send(url, NORMAL_QUERY);
    const body = JSON.parse(response.body) as {
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    expect(body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(response.body).not.toMatch(/abort|timeout|127\.0\.0\.1/i);
  });
});
