import { logCapture } from '@clinic/testing';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Identity } from '@clinic/contracts';
import { metrics, recordSpans } from '@clinic/platform';
import { startTestSystem, type TestSystem } from '../test-system';
import { HOSTILE_CORPUS, send, type CorpusEntry, type HostileRequest } from './hostile-corpus';

/**
 * Trusted documents in enforce mode, through the whole system as `npm start` wires it (TRUSTED_DOCUMENTS
 * and TRUSTED_DOCUMENTS_OPEN_ROLES read by the launcher's configuration): operation text that is not
 * registered is refused before it is parsed, over every transport, for every caller but the open roles;
 * a registered document answers by its id exactly as its text would; nothing a caller typed comes back
 * or reaches a log line.
 */

const MANIFEST = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../clients/generated/persisted-documents.json'), 'utf8'),
) as Record<string, string>;

/** The documentId of the registered document holding the named operation. */
function documentIdOf(operation: string): string {
  const found = Object.entries(MANIFEST).find(([, text]) =>
    new RegExp(`\\b(query|mutation|subscription) ${operation}\\b`).test(text),
  );
  if (!found) throw new Error(`no registered document holds ${operation}`);
  return found[0];
}

const UNKNOWN_ID = `sha256:${'0'.repeat(64)}`;
const canary = () => `canary-${randomBytes(6).toString('hex')}`;

let system: TestSystem;
const logLines: string[] = [];
const capture = logCapture(logLines);
const tokens: Record<'patient' | 'admin' | 'manager' | 'doctor', string> = {
  patient: '',
  admin: '',
  manager: '',
  doctor: '',
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  system = await startTestSystem(
    {},
    { TRUSTED_DOCUMENTS: 'enforce', TRUSTED_DOCUMENTS_OPEN_ROLES: 'SystemAdministrator,PracticeManager' },
    { logLevel: 'info', logDestination: capture() },
  );
  tokens.admin = await system.token({ role: 'SystemAdministrator', subject: 'trusted-docs-admin' });
  // Free text is open to the system administrator: read who the other callers are.
  const found = await system.graphql('{ appointments(first: 1) { clientId doctor { id clinic { id } } } }', {
    token: tokens.admin,
  });
  const appointment = (
    found.body.data?.['appointments'] as {
      clientId: string;
      doctor: { id: string; clinic: { id: string } };
    }[]
  )[0];
  if (!appointment) throw new Error('the seed has no appointment');
  const identities: Record<'patient' | 'manager' | 'doctor', Identity> = {
    patient: { role: 'Patient', subject: appointment.clientId },
    manager: { role: 'PracticeManager', subject: 'trusted-docs-pm', clinicId: appointment.doctor.clinic.id },
    doctor: { role: 'Doctor', subject: appointment.doctor.id, clinicId: appointment.doctor.clinic.id },
  };
  for (const [name, identity] of Object.entries(identities))
    tokens[name as keyof typeof identities] = await system.token(identity);
}, 600_000);
afterAll(async () => {
  await system?.stop();
});

const json = (body: string) =>
  JSON.parse(body) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };

/** Sends requests while spans are recorded; returns the responses and how many documents were parsed. */
async function sentUnparsed<T>(run: () => Promise<T>): Promise<{ result: T; parsed: number }> {
  const spans = recordSpans();
  try {
    const result = await run();
    return { result, parsed: spans.spans().filter((span) => span.name === 'graphql.parse').length };
  } finally {
    await spans.stop();
  }
}

/** The answer each hostile request gets in enforce mode: refused by the transport as before, or unparsed. */
function expectedInEnforce(entry: CorpusEntry): { status: number; code: string } {
  const refusedBeforeGraphql = ['PAYLOAD_TOO_LARGE', 'BAD_REQUEST', 'BATCH_TOO_LARGE'];
  if (refusedBeforeGraphql.includes(entry.expect.code))
    return { status: entry.expect.status, code: entry.expect.code };
  return { status: 400, code: 'PERSISTED_DOCUMENT_REQUIRED' };
}

describe('enforce mode: the hostile corpus', () => {
  it.each(HOSTILE_CORPUS.map((entry) => [entry.name, entry] as const))(
    '%s is refused before any document is parsed, anonymous or as a patient',
    async (_name, entry: CorpusEntry) => {
      const { result, parsed } = await sentUnparsed(() =>
        Promise.all([
          send(system.gatewayUrl, entry),
          send(system.gatewayUrl, { ...entry, headers: { ...entry.headers, ...bearer(tokens.patient) } }),
        ]),
      );
      for (const response of result)
        expect({ status: response.status, code: response.code }).toEqual(expectedInEnforce(entry));
      expect(parsed).toBe(0);
    },
  );

  it('a token flood over SSE is refused as unregistered, not as a parse failure (it was never parsed)', async () => {
    const flood: HostileRequest = {
      name: 'token flood over SSE',
      headers: { accept: 'text/event-stream', ...bearer(tokens.patient) },
      body: { query: `subscription { myAppointmentUpdates { ${'kind '.repeat(5000)} } }` },
    };
    const response = await send(system.gatewayUrl, flood);
    expect({ status: response.status, code: response.code }).toEqual({
      status: 400,
      code: 'PERSISTED_DOCUMENT_REQUIRED',
    });
  });
});

describe('enforce mode: registered documents', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    send(system.gatewayUrl, { name: 'post', headers, body });

  it('answer by documentId exactly as their text does (the open role sends the text)', async () => {
    for (const [operation, variables] of [
      ['Clinics', undefined],
      ['MyAppointments', undefined],
      [
        'AvailableSlots',
        { filter: { fromDate: '2026-12-01', toDate: '2026-12-31', timeZone: 'Australia/Perth' }, first: 3 },
      ],
    ] as const) {
      const documentId = documentIdOf(operation);
      const byId = await post({ documentId, variables }, bearer(tokens.patient));
      // The same caller may also send a registered document's exact text.
      const byText = await post({ query: MANIFEST[documentId], variables }, bearer(tokens.patient));
      expect({ operation, status: byId.status, errors: json(byId.body).errors }).toEqual({
        operation,
        status: 200,
        errors: undefined,
      });
      expect(byId.body).toBe(byText.body);
    }
  });

  it('answer over GET (queries only, with the CSRF header) and in a batch', async () => {
    const get = (documentId: string, headers: Record<string, string> = {}) =>
      send(system.gatewayUrl, {
        name: 'get',
        method: 'GET',
        headers: { 'apollo-require-preflight': 'true', ...headers },
        search: { documentId },
      });
    const clinics = await get(documentIdOf('Clinics'));
    expect(clinics.status).toBe(200);
    expect(json(clinics.body).data).toMatchObject({ clinics: expect.any(Array) });
    // Apollo's CSRF prevention still applies to a GET by id.
    const csrf = await send(system.gatewayUrl, {
      name: 'get',
      method: 'GET',
      search: { documentId: documentIdOf('Clinics') },
    });
    expect({ status: csrf.status, code: csrf.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    const mutation = await get(documentIdOf('BookAppointment'), bearer(tokens.patient));
    expect(mutation.status).toBe(405);

    const batch = await post(
      [{ documentId: documentIdOf('Clinics') }, { documentId: documentIdOf('MyAppointments') }],
      bearer(tokens.patient),
    );
    expect(batch.status).toBe(200);
    const results = JSON.parse(batch.body) as { data?: Record<string, unknown>; errors?: unknown }[];
    expect(results.map((result) => Object.keys(result.data ?? {}))).toEqual([['clinics'], ['appointments']]);
  });

  it('run over SSE by documentId: a query is answered, a subscription stream opens', async () => {
    const query = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...bearer(tokens.patient) },
      body: JSON.stringify({ documentId: documentIdOf('Clinics') }),
    });
    expect(query.status).toBe(200);
    const events = await query.text();
    const data = /^data: (.*)$/m.exec(events)?.[1] ?? '';
    expect(json(data).data).toMatchObject({ clinics: expect.any(Array) });

    const controller = new AbortController();
    const stream = await fetch(system.gatewayUrl, {
      method: 'POST',
      signal: controller.signal,
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...bearer(tokens.patient) },
      body: JSON.stringify({ documentId: documentIdOf('AppointmentUpdates') }),
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    controller.abort();
  });
});

describe('enforce mode: callers and free text', () => {
  const text = '{ clinics { id name } }';

  it('a staff role the configuration names runs free text; a patient, a doctor and a stranger cannot', async () => {
    for (const token of [tokens.admin, tokens.manager]) {
      const response = await send(system.gatewayUrl, {
        name: 'staff',
        headers: bearer(token),
        body: { query: text },
      });
      expect(response.status).toBe(200);
      expect(json(response.body).data).toMatchObject({ clinics: expect.any(Array) });
    }
    for (const headers of [bearer(tokens.patient), bearer(tokens.doctor), {}]) {
      const response = await send(system.gatewayUrl, { name: 'refused', headers, body: { query: text } });
      expect({ status: response.status, code: response.code }).toEqual({
        status: 400,
        code: 'PERSISTED_DOCUMENT_REQUIRED',
      });
    }
  });

  it('free text a staff role is answered from the cache, however often, is still refused to the others', async () => {
    const cached = '{ clinics { id name timeZone } }';
    const fast = system.responseCache!.fastHits;
    for (let i = 0; i < 3; i++) {
      const response = await send(system.gatewayUrl, {
        name: 'staff, repeated',
        headers: bearer(tokens.admin),
        body: { query: cached },
      });
      expect([i, response.status]).toEqual([i, 200]);
    }
    // Answered before Apollo's pipeline from the second time on.
    expect(system.responseCache!.fastHits).toBe(fast + 2);
    for (const headers of [bearer(tokens.patient), bearer(tokens.doctor), {}]) {
      const response = await send(system.gatewayUrl, { name: 'refused', headers, body: { query: cached } });
      expect({ status: response.status, code: response.code }).toEqual({
        status: 400,
        code: 'PERSISTED_DOCUMENT_REQUIRED',
      });
    }
  });

  it('a registered document answered before the pipeline is counted as trusted, once per request', async () => {
    const trusted = async () =>
      (await metrics.trustedDocuments.get()).values.find(
        ({ labels }) => labels['transport'] === 'http' && labels['outcome'] === 'trusted',
      )?.value ?? 0;
    const body = { documentId: documentIdOf('Clinics') };
    await send(system.gatewayUrl, { name: 'registered', headers: {}, body });
    const [before, fast] = [await trusted(), system.responseCache!.fastHits];
    const response = await send(system.gatewayUrl, { name: 'registered, again', headers: {}, body });
    expect(response.status).toBe(200);
    expect(system.responseCache!.fastHits).toBe(fast + 1);
    expect(await trusted()).toBe(before + 1);
  });

  it('a patient cannot open a free-text subscription over SSE, nor run one through the single-connection mode', async () => {
    const response = await send(system.gatewayUrl, {
      name: 'sse free text',
      headers: { accept: 'text/event-stream', ...bearer(tokens.patient) },
      body: { query: 'subscription { myAppointmentUpdates { kind } }' },
    });
    expect({ status: response.status, code: response.code }).toEqual({
      status: 400,
      code: 'PERSISTED_DOCUMENT_REQUIRED',
    });
  });
});

describe('unknown documentIds', () => {
  const refused = { status: 400, code: 'PERSISTED_DOCUMENT_NOT_FOUND' };

  it('are refused over POST, GET, a batch and SSE, for every caller, naming nothing the caller sent', async () => {
    const marker = canary();
    const documentId = `sha256:${marker}`;
    const requests: HostileRequest[] = [
      { name: 'post', body: { documentId } },
      { name: 'post unknown', headers: bearer(tokens.admin), body: { documentId: UNKNOWN_ID } },
      { name: 'post not a string', body: { documentId: { marker } } },
      {
        name: 'get',
        method: 'GET',
        headers: { 'apollo-require-preflight': 'true' },
        search: { documentId, variables: JSON.stringify({ marker }) },
      },
      {
        name: 'batch',
        body: [{ documentId: documentIdOf('Clinics') }, { documentId, operationName: marker }],
      },
      {
        name: 'sse',
        headers: { accept: 'text/event-stream', ...bearer(tokens.patient) },
        body: { documentId },
      },
    ];
    for (const request of requests) {
      const response = await send(system.gatewayUrl, request);
      expect({ name: request.name, status: response.status, code: response.code }).toEqual({
        name: request.name,
        ...refused,
      });
      expect(response.body).not.toContain(marker);
    }
  });

  it('and a request naming both a documentId and text is refused, not guessed at', async () => {
    const response = await send(system.gatewayUrl, {
      name: 'both',
      body: { documentId: documentIdOf('Clinics'), query: '{ __typename }' },
    });
    expect(response.status).toBe(400);
    expect(response.code).toBe('BAD_REQUEST');
  });
});

describe('what a caller typed', () => {
  it('appears in no answer and no log line: documentId, variables, operationName, refused or run', async () => {
    const marker = canary();
    logLines.length = 0;
    const requests: HostileRequest[] = [
      { name: 'id', body: { documentId: `sha256:${marker}` } },
      {
        name: 'id hex',
        body: { documentId: `sha256:${Buffer.from(marker).toString('hex').padEnd(64, '0')}` },
      },
      {
        name: 'variables and name',
        headers: bearer(tokens.patient),
        body: {
          documentId: documentIdOf('MyAppointments'),
          variables: { first: marker },
          operationName: marker,
        },
      },
      {
        name: 'free text',
        headers: bearer(tokens.patient),
        body: { query: `query ${marker.replace('-', '_')} { clinics { id } }`, operationName: marker },
      },
      {
        name: 'free text, open role',
        headers: bearer(tokens.admin),
        body: { query: `query Q { clinics { id name } } # ${marker}`, variables: { marker } },
      },
      {
        name: 'sse',
        headers: { accept: 'text/event-stream', ...bearer(tokens.patient) },
        body: { query: `subscription { myAppointmentUpdates { kind } } # ${marker}`, variables: { marker } },
      },
    ];
    for (const request of requests) {
      const response = await send(system.gatewayUrl, request);
      expect(response.status).toBeLessThan(500);
      expect(response.body).not.toContain(marker);
      expect(response.body).not.toContain(marker.replace('-', '_'));
    }
    const logged = logLines.join('');
    expect(logged).not.toContain(marker);
    expect(logged).not.toContain(marker.replace('-', '_'));
    expect(logged).not.toContain(Buffer.from(marker).toString('hex'));
    // Unregistered text is logged by its hash, which the gateway computed.
    expect(logged).toMatch(/"documentHash":"[0-9a-f]{64}"/);
  });
});
