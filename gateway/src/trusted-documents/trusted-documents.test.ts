import { logCapture } from '@clinic/testing';
import { createHash } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { createLogger, metrics, recordSpans } from '@clinic/platform';
import type { RunningGateway } from '../gateway';
import { startGatewayAlone } from '../testing/gateway-alone';
import type { TrustedDocumentsOptions } from './options';

/**
 * The gateway alone (no subgraph answers): what happens to a document before any subgraph is asked.
 * Apollo's parse is observed through the `graphql.parse` span the gateway's tracing plugin starts in
 * `parsingDidStart`, so "not parsed" is Apollo's own account, not this feature's.
 */

const CLINICS = 'query Clinics { clinics { id name } }';
const SUBSCRIPTION = 'subscription Updates { myAppointmentUpdates { kind } }';
const idOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const MANIFEST = { [idOf(CLINICS)]: CLINICS, [idOf(SUBSCRIPTION)]: SUBSCRIPTION };

const IDENTITIES: Record<string, Identity> = {
  'Bearer staff': { role: 'SystemAdministrator', subject: 'staff-1' },
  'Bearer patient': { role: 'Patient', subject: 'patient-1' },
};

const logLines: string[] = [];
const logger = createLogger('gateway', 'info', logCapture(logLines)());

const running: RunningGateway[] = [];
afterAll(async () => {
  for (const gateway of running) await gateway.stop();
});

async function gatewayIn(mode: TrustedDocumentsOptions['mode']): Promise<string> {
  const gateway = await startGatewayAlone({
    verifyToken: async (authorization) => (authorization && IDENTITIES[authorization]) || null,
    trustedDocuments: { mode, openRoles: ['SystemAdministrator'], manifest: MANIFEST },
    logger,
  });
  running.push(gateway);
  return gateway.url;
}

async function post(url: string, body: unknown, authorization?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, code: parsed.errors?.[0]?.extensions?.code, text };
}

/** Runs `send` with spans recorded; how many documents Apollo parsed meanwhile. */
async function parsesDuring(send: () => Promise<unknown>): Promise<number> {
  const spans = recordSpans();
  try {
    await send();
    return spans.spans().filter((span) => span.name === 'graphql.parse').length;
  } finally {
    await spans.stop();
  }
}

const counted = async (outcome: string, transport = 'http') =>
  (await metrics.trustedDocuments.get()).values.find(
    (value) => value.labels['outcome'] === outcome && value.labels['transport'] === transport,
  )?.value ?? 0;

describe('enforce mode', () => {
  let url: string;
  beforeAll(async () => {
    url = await gatewayIn('enforce');
  });

  it('runs a registered documentId without parsing or validating it (the document was checked at start)', async () => {
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    const parses = await parsesDuring(async () => {
      answer = await post(url, { documentId: idOf(CLINICS) }, 'Bearer patient');
    });
    expect(parses).toBe(0);
    // Planned and sent on: the subgraph is unreachable, so the one error is the subgraph's.
    expect(answer?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('refuses unregistered text before parsing it, for a patient and a stranger', async () => {
    for (const authorization of ['Bearer patient', undefined]) {
      const before = await counted('untrusted_refused');
      let answer: Awaited<ReturnType<typeof post>> | undefined;
      const parses = await parsesDuring(async () => {
        answer = await post(url, { query: '{ clinics { id } }' }, authorization);
      });
      expect(parses).toBe(0);
      expect({ status: answer?.status, code: answer?.code }).toEqual({
        status: 400,
        code: 'PERSISTED_DOCUMENT_REQUIRED',
      });
      expect(await counted('untrusted_refused')).toBe(before + 1);
    }
  });

  it('refuses text that does not even parse the same way, so nothing is parsed', async () => {
    const parses = await parsesDuring(() => post(url, { query: '{ clinics { ' }, 'Bearer patient'));
    expect(parses).toBe(0);
  });

  it('refuses an APQ hash that is not registered, which would run text registered by someone else', async () => {
    const hash = createHash('sha256').update('{ clinics { name } }').digest('hex');
    await post(
      url,
      { query: '{ clinics { name } }', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
      'Bearer staff',
    );
    const answer = await post(
      url,
      { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
      'Bearer patient',
    );
    expect(answer.code).toBe('PERSISTED_DOCUMENT_REQUIRED');
  });

  it('lets a role the configuration names run free text (it is parsed as usual)', async () => {
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    const parses = await parsesDuring(async () => {
      answer = await post(url, { query: '{ doctors: clinics { id } }' }, 'Bearer staff');
    });
    expect(parses).toBe(1);
    expect(answer?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('refuses every operation of a batch that is not registered, and runs those that are', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer patient' },
      body: JSON.stringify([{ documentId: idOf(CLINICS) }, { query: '{ clinics { name } }' }]),
    });
    const results = (await response.json()) as { errors?: { extensions?: { code?: string } }[] }[];
    expect(results.map((result) => result.errors?.[0]?.extensions?.code)).toEqual([
      'SERVICE_UNAVAILABLE',
      'PERSISTED_DOCUMENT_REQUIRED',
    ]);
  });

  it('refuses an unknown documentId in every mode, by a fixed message', async () => {
    const answer = await post(url, { documentId: 'sha256:secret-typed-here' });
    expect({ status: answer.status, code: answer.code }).toEqual({
      status: 400,
      code: 'PERSISTED_DOCUMENT_NOT_FOUND',
    });
    expect(answer.text).not.toContain('secret-typed-here');
  });
});

describe('log mode', () => {
  let url: string;
  beforeAll(async () => {
    url = await gatewayIn('log');
  });

  it('runs unregistered text, counts it and logs it by its hash, never its text', async () => {
    const text = '{ clinics { id timeZone } } # marker-in-text';
    const before = await counted('untrusted_allowed');
    logLines.length = 0;
    const answer = await post(url, { query: text, operationName: null }, 'Bearer patient');
    expect(answer.code).toBe('SERVICE_UNAVAILABLE');
    expect(await counted('untrusted_allowed')).toBe(before + 1);
    const logged = logLines.join('');
    expect(logged).toContain(createHash('sha256').update(text).digest('hex'));
    expect(logged).not.toContain('marker-in-text');
  });

  it('still refuses an unknown documentId (there is no text to run)', async () => {
    const answer = await post(url, { documentId: `sha256:${'a'.repeat(64)}` });
    expect(answer.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
  });

  it('runs a registered documentId unparsed', async () => {
    expect(await parsesDuring(() => post(url, { documentId: idOf(CLINICS) }))).toBe(0);
  });
});

describe('off', () => {
  it('knows no documentId: the request has no query', async () => {
    const url = await gatewayIn('off');
    const answer = await post(url, { documentId: idOf(CLINICS) });
    expect(answer.status).toBe(400);
    expect(answer.code).toBe('BAD_REQUEST');
  });
});
