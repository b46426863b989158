import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { metrics } from '@clinic/platform';
import { eventually, postGraphQL, postGraphQLOverSse } from '@clinic/testing';
import { DateTime } from 'luxon';
import { startTestSystem, type TestSystem } from '../test-system';

/**
 * The response cache from outside, on the embedded default: who shares an answer, what is never cached,
 * identical searches at once, and HTTP caching of anonymous GETs (never of a signed-in caller's).
 */
const SUBJECT_LIMIT = 4;
let system: TestSystem;
let clinics: { id: string; doctors: { id: string }[] }[];

beforeAll(async () => {
  system = await startTestSystem(
    { clinics: 2, doctors: 4, patients: 4, appointments: 0, days: 7 },
    // Low enough for a test to reach; every test here sends fewer requests per signed-in caller.
    { RATE_LIMIT_SUBJECT_PER_MINUTE: String(SUBJECT_LIMIT) },
  );
  const { body } = await system.graphql('{ clinics { id doctors { id } } }');
  clinics = body.data?.['clinics'] as typeof clinics;
}, 600_000);
afterAll(async () => system?.stop());

const SEARCH = `query Search($f: AvailableSlotsFilter!) {
  availableSlots(filter: $f, first: 20) { edges { node { id start status doctor { name clinic { name } } } } }
}`;
const searchVariables = (doctorId: string, days = 3) => ({
  f: {
    doctorId,
    fromDate: DateTime.now().setZone('Australia/Sydney').plus({ days: 1 }).toISODate(),
    toDate: DateTime.now().setZone('Australia/Sydney').plus({ days }).toISODate(),
    timeZone: 'Australia/Sydney',
  },
});

async function lookups(): Promise<Record<string, number>> {
  const counted = await metrics.responseCacheLookups.get();
  return Object.fromEntries(counted.values.map(({ labels, value }) => [String(labels['result']), value]));
}

async function counting<T>(run: () => Promise<T>): Promise<{ result: T; delta: Record<string, number> }> {
  const before = await lookups();
  const result = await run();
  const after = await lookups();
  const delta = Object.fromEntries(
    Object.entries(after).map(([key, value]) => [key, value - (before[key] ?? 0)]),
  );
  return { result, delta };
}

it('never shares an answer across scopes: anonymous, a patient, and the admins of two clinics each get their own', async () => {
  const [a, b] = clinics;
  const callers = [
    undefined,
    await system.token({ role: 'Patient', subject: randomUUID() }),
    await system.token({ role: 'ClinicAdmin', subject: 'admin-a', clinicId: a!.id }),
    await system.token({ role: 'ClinicAdmin', subject: 'admin-b', clinicId: b!.id }),
  ];
  const variables = searchVariables(a!.doctors[0]!.id);
  const entriesBefore = system.responseCache!.size.entries;
  const first = await counting(() =>
    Promise.all(callers.map((token) => system.graphql(SEARCH, { variables, ...(token ? { token } : {}) }))),
  );
  expect(first.delta['miss']).toBe(4);
  expect(system.responseCache!.size.entries).toBe(entriesBefore + 4);
  const again = await counting(() =>
    Promise.all(callers.map((token) => system.graphql(SEARCH, { variables, ...(token ? { token } : {}) }))),
  );
  expect(again.delta['hit']).toBe(4);
  // Each scope's second answer is its first, exactly.
  expect(again.result.map(({ body }) => body)).toEqual(first.result.map(({ body }) => body));
  expect(first.result[0]?.body.errors).toBeUndefined();
});

it('never caches an operation that also asks for anything personal, however it is nested', async () => {
  const token = await system.token({ role: 'Patient', subject: randomUUID() });
  for (const query of [
    '{ clinics { id } me { clientId } }',
    '{ clinics { id } ...Mine } fragment Mine on Query { appointments { id } }',
    '{ clinics { id } ... on Query { notifications { id } } }',
  ]) {
    const entries = system.responseCache!.size.entries;
    const { delta } = await counting(() => system.graphql(query, { token }));
    expect(delta['uncacheable']).toBe(1);
    expect(system.responseCache!.size.entries).toBe(entries);
  }
});

it('runs identical searches arriving together once', async () => {
  // Twenty days ahead: a key no other test has filled.
  const variables = searchVariables(clinics[1]!.doctors[0]!.id, 20);
  system.resetQueries();
  const { result, delta } = await counting(() =>
    Promise.all(Array.from({ length: 20 }, () => system.graphql(SEARCH, { variables }))),
  );
  expect(new Set(result.map(({ body }) => JSON.stringify(body))).size).toBe(1);
  expect(delta['miss']).toBeLessThan(20);
  expect((delta['collapsed'] ?? 0) + (delta['hit'] ?? 0) + (delta['miss'] ?? 0)).toBe(20);
});

describe('hits answered before Apollo’s pipeline (fast hits)', () => {
  const post = (variables: unknown, headers: Record<string, string> = {}) =>
    fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: SEARCH, variables }),
    });
  const fastHits = () => system.responseCache!.fastHits;

  it('answers with the status, headers and bytes the pipeline sends, for each answer type a client asks for', async () => {
    for (const [days, accept] of [
      [4, undefined],
      [5, 'application/json'],
      [6, 'application/graphql-response+json,application/json;q=0.9'],
    ] as const) {
      const variables = searchVariables(clinics[0]!.doctors[0]!.id, days);
      const headers: Record<string, string> = accept ? { accept } : {};
      const first = await post(variables, headers);
      const fast = fastHits();
      const again = await post(variables, headers);
      expect(fastHits()).toBe(fast + 1);
      expect(again.status).toBe(first.status);
      for (const header of ['content-type', 'content-length', 'cache-control', 'etag', 'vary'])
        expect([header, again.headers.get(header)]).toEqual([header, first.headers.get(header)]);
      expect(await again.text()).toBe(await first.text());
    }
  });

  it('never answers another scope from what one scope was answered, however often that scope asked', async () => {
    // Windows no other test asks for: keys of their own.
    const variables = searchVariables(clinics[1]!.doctors[0]!.id, 5);
    await post(variables);
    await post(variables);
    const fast = fastHits();
    await post(variables);
    expect(fastHits()).toBe(fast + 1);
    for (const identity of [
      { role: 'Patient', subject: randomUUID() },
      { role: 'ClinicAdmin', subject: randomUUID(), clinicId: clinics[0]!.id },
      { role: 'ClinicAdmin', subject: randomUUID(), clinicId: clinics[1]!.id },
    ] as const) {
      const entries = system.responseCache!.size.entries;
      const token = await system.token(identity);
      const { delta: signedIn } = await counting(() => post(variables, { authorization: `Bearer ${token}` }));
      expect([identity.role, signedIn['miss']]).toEqual([identity.role, 1]);
      expect(system.responseCache!.size.entries).toBe(entries + 1);
    }
  });

  it('takes the per-subject rate limit once per request, and a caller over it never gets an answer', async () => {
    const token = await system.token({ role: 'Patient', subject: randomUUID() });
    const variables = searchVariables(clinics[1]!.doctors[1]!.id, 6);
    const fast = fastHits();
    for (let i = 0; i < SUBJECT_LIMIT; i++) {
      const response = await post(variables, { authorization: `Bearer ${token}` });
      expect([i, response.status]).toEqual([i, 200]);
    }
    expect(fastHits()).toBeGreaterThanOrEqual(fast + SUBJECT_LIMIT - 2);
    const over = await post(variables, { authorization: `Bearer ${token}` });
    expect(over.status).toBe(429);
    expect(((await over.json()) as { data?: unknown }).data).toBeUndefined();
  });

  it('never answers from before a booking whose event the gateway consumed between a fast hit and the read', async () => {
    const variables = searchVariables(clinics[0]!.doctors[0]!.id, 2);
    const first = (await (await post(variables)).json()) as {
      data: { availableSlots: { edges: { node: { id: string } }[] } };
    };
    const fast = fastHits();
    await post(variables);
    expect(fastHits()).toBe(fast + 1);
    const slotId = first.data.availableSlots.edges[0]?.node.id;
    expect(slotId).toBeDefined();
    await bookAndAwaitItsEvent(slotId!);
    const after = (await (await post(variables)).json()) as typeof first;
    expect(after.data.availableSlots.edges.map(({ node }) => node.id)).not.toContain(slotId);
  });
});

describe('refresh-ahead', () => {
  it('works a search read lately out again after a booking’s event, so the next read hits and reflects the booking', async () => {
    const refreshed = async () => (await lookups())['refreshed'] ?? 0;
    // The earlier tests' bookings dropped answers read lately too, whose refreshes may not have started
    // yet. Settled first: only an answer read within the last 2 s is refreshed.
    const before = await settled(refreshed);
    const variables = searchVariables(clinics[1]!.doctors[0]!.id, 2);
    const first = await system.graphql(SEARCH, { variables });
    const slotId = (first.body.data?.['availableSlots'] as { edges: { node: { id: string } }[] }).edges[0]
      ?.node.id;
    expect(slotId).toBeDefined();
    // Read on while the booking is made, however long a busy machine takes over it, so the answer was
    // hit lately when the event drops it. Not after: a read then could miss and work the answer out itself.
    let booked = false;
    const reading = (async () => {
      while (!booked) {
        await system.graphql(SEARCH, { variables });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    await bookAndAwaitItsEvent(slotId!, () => (booked = true)).finally(() => (booked = true));
    await reading;
    await eventually(async () => ((await refreshed()) > before ? true : undefined), 10_000);
    const { result, delta } = await counting(() => system.graphql(SEARCH, { variables }));
    // The refresh's answer, or its execution still running: either way not this reader's own.
    expect((delta['hit'] ?? 0) + (delta['collapsed'] ?? 0)).toBe(1);
    const ids = (result.body.data?.['availableSlots'] as { edges: { node: { id: string } }[] }).edges.map(
      ({ node }) => node.id,
    );
    expect(ids).not.toContain(slotId);
  });
});

describe('HTTP caching of public reads', () => {
  const get = (variables: unknown, headers: Record<string, string> = {}) =>
    fetch(
      `${system.gatewayUrl}?${new URLSearchParams({ query: SEARCH, operationName: 'Search', variables: JSON.stringify(variables) })}`,
      { headers: { 'apollo-require-preflight': 'true', ...headers } },
    );

  it('lets a shared cache keep an anonymous GET briefly, and answers 304 to its validator', async () => {
    const variables = searchVariables(clinics[0]!.doctors[1]!.id);
    const first = await get(variables);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=5');
    // The answer's content type follows the caller's accept header, so a shared cache must key on it too.
    expect(first.headers.get('vary')?.toLowerCase().split(/,\s*/)).toEqual(
      expect.arrayContaining(['authorization', 'accept']),
    );
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get(variables, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('does the same for a registered document sent by its id', async () => {
    const manifest = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../clients/generated/persisted-documents.json'), 'utf8'),
    ) as Record<string, string>;
    const [documentId] =
      Object.entries(manifest).find(([, text]) => text.startsWith('query AvailableSlots(')) ?? [];
    const { f } = searchVariables(clinics[1]!.doctors[1]!.id);
    const url = `${system.gatewayUrl}?${new URLSearchParams({ documentId: documentId!, variables: JSON.stringify({ filter: f, first: 10 }) })}`;
    const first = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { errors?: unknown }).errors).toBeUndefined();
    expect(first.headers.get('cache-control')).toBe('public, max-age=5');
    const again = await fetch(url, {
      headers: { 'apollo-require-preflight': 'true', 'if-none-match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('never lets a shared cache keep a signed-in caller’s answer, nor a POST', async () => {
    const variables = searchVariables(clinics[0]!.doctors[1]!.id);
    const token = await system.token({ role: 'Patient', subject: randomUUID() });
    const anonymous = await get(variables);
    // The anonymous answer's validator, replayed by a signed-in caller: a full, private answer, never a 304.
    const signedIn = await get(variables, {
      authorization: `Bearer ${token}`,
      'if-none-match': anonymous.headers.get('etag') ?? '',
    });
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { data?: unknown }).data).toBeDefined();
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    expect(signedIn.headers.get('etag')).toBeNull();
    const posted = await system.graphql(SEARCH, { variables });
    expect(posted.headers.get('cache-control') ?? '').not.toContain('public');
  });
});

describe('over SSE, the other transport', () => {
  const overSse = async (variables: Record<string, unknown>) => {
    const { status, body } = await postGraphQLOverSse(system.gatewayUrl, SEARCH, { variables });
    expect(status).toBe(200);
    return body as {
      data?: { availableSlots: { edges: { node: { id: string } }[] } };
      errors?: unknown;
    };
  };

  it('runs the operation a document with several names, as over HTTP', async () => {
    const document = `query Clinics { clinics { id } }\n${SEARCH}`;
    const options = { variables: searchVariables(clinics[1]!.doctors[0]!.id), operationName: 'Search' };
    const [overHttp, overSse] = await Promise.all([
      postGraphQL(system.gatewayUrl, document, options),
      postGraphQLOverSse(system.gatewayUrl, document, options),
    ]);
    expect(overHttp.body.errors).toBeUndefined();
    expect(overSse.body).toEqual(overHttp.body);
  });

  it('answers a search from the cache, and never from before a booking whose event the gateway consumed', async () => {
    const variables = searchVariables(clinics[1]!.doctors[1]!.id);
    const first = await overSse(variables);
    expect(first.errors).toBeUndefined();
    const { delta } = await counting(() => overSse(variables));
    expect(delta['hit']).toBe(1);
    const slotId = first.data?.availableSlots.edges[0]?.node.id;
    expect(slotId).toBeDefined();
    await bookAndAwaitItsEvent(slotId!);
    const after = await overSse(variables);
    expect(after.data?.availableSlots.edges.map(({ node }) => node.id)).not.toContain(slotId);
  });
});

describe('ids in any case', () => {
  it('never answers from before a booking a search that names its doctor in capitals', async () => {
    const doctorId = clinics[0]!.doctors[1]!.id;
    const variables = searchVariables(doctorId.toUpperCase(), 7);
    const search = async () =>
      (await postGraphQL(system.gatewayUrl, SEARCH, { variables })).body.data as {
        availableSlots: { edges: { node: { id: string } }[] };
      };
    const first = await search();
    const { delta } = await counting(search);
    expect(delta['hit']).toBe(1);
    const slotId = first.availableSlots.edges[0]?.node.id;
    expect(slotId).toBeDefined();
    await bookAndAwaitItsEvent(slotId!);
    const after = await search();
    expect(after.availableSlots.edges.map(({ node }) => node.id)).not.toContain(slotId);
  });
});

describe('answers with errors', () => {
  it('never keeps one: a refused search is worked out each time, over HTTP and SSE, and after an event that would refresh a kept one', async () => {
    const doctorId = clinics[1]!.doctors[0]!.id;
    // Inside the schema, refused by the subgraph: a day long past.
    const refused = {
      f: { doctorId, fromDate: '1900-01-01', toDate: '1900-01-02', timeZone: 'Australia/Sydney' },
    };
    type Answer = { errors?: { extensions?: Record<string, unknown> }[] };
    const overHttp = async () => (await system.graphql(SEARCH, { variables: refused })).body as Answer;
    const overSse = async () =>
      (await postGraphQLOverSse(system.gatewayUrl, SEARCH, { variables: refused })).body as Answer;
    const sendEach = async () => {
      for (const send of [overHttp, overHttp, overSse, overSse]) {
        const { result, delta } = await counting(send);
        expect(result.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
        // Looked up, so the operation is one the cache would keep, and never answered from it.
        expect([delta['miss'], delta['hit'] ?? 0, delta['collapsed'] ?? 0]).toEqual([1, 0, 0]);
      }
    };
    await sendEach();
    // A booking of the same doctor: an event that would drop, and refresh, an answer kept for it.
    const { body } = await system.graphql(SEARCH, { variables: searchVariables(doctorId, 5) });
    const slotId = (body.data?.['availableSlots'] as { edges: { node: { id: string } }[] }).edges[0]?.node.id;
    expect(slotId).toBeDefined();
    await bookAndAwaitItsEvent(slotId!);
    await sendEach();
  });
});

/** The count once it has not moved for a second. */
async function settled(count: () => Promise<number>): Promise<number> {
  let last = await count();
  return eventually(async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await count();
    const still = now === last;
    last = now;
    return still ? now : undefined;
  }, 30_000);
}

/**
 * Books the slot as a new patient and waits until the gateway has applied its slot.changed event;
 * `onBooked` runs once the booking is answered.
 */
async function bookAndAwaitItsEvent(slotId: string, onBooked: () => void = () => undefined): Promise<void> {
  const cache = system.responseCache!;
  const applied: string[] = [];
  const apply = cache.apply.bind(cache);
  cache.apply = (event) => {
    if (event.type === 'slot.changed') applied.push((event.payload as { slotId: string }).slotId);
    apply(event);
  };
  try {
    const token = await system.token({ role: 'Patient', subject: randomUUID() });
    const { body } = await system.graphql(
      'mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { __typename } }',
      { token, variables: { i: { slotId, idempotencyKey: `booking-${randomUUID()}` } } },
    );
    expect(body.data?.['bookAppointment']).toEqual({ __typename: 'AppointmentBooked' });
    onBooked();
    await eventually(async () => (applied.includes(slotId) ? true : undefined), 60_000);
  } finally {
    cache.apply = apply;
  }
}
