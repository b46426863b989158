import type { ErrorCode } from '@clinic/contracts';

/**
 * Requests an attacker (or a badly broken client) sends, with the answer each must get. The integration
 * test sends them one by one and all at once beside a normal query; the hostile-load bench replays them
 * in a loop to measure what they cost everyone else.
 */
export interface HostileRequest {
  name: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** JSON-encoded unless already raw bytes. */
  body?: unknown;
  /** URL query parameters (GET). */
  search?: Record<string, string>;
}

export interface CorpusEntry extends HostileRequest {
  expect: { status: number; code: ErrorCode; message: RegExp };
}

export const NORMAL_QUERY: HostileRequest = { name: 'normal query', body: { query: '{ clinics { name } }' } };

/** `{ clinics { doctors { clinic { … } } } }`, `levels` pairs deep around `inner`. */
const nested = (inner: string, levels: number): string => {
  let selection = inner;
  for (let level = 0; level < levels; level++) selection = `doctors { clinic { ${selection} } }`;
  return `{ clinics { ${selection} } }`;
};

/**
 * A list of lists of lists that passes every other limit: each doctor's month of slots, and for each slot
 * its doctor's clinic's doctors' month of slots. Before the cost estimate multiplied list sizes, twelve
 * aliases of it ran for 11-13 s, ended in a subgraph's 413, and held other callers up for seconds.
 */
const NESTED_LISTS = 'doctor { clinic { doctors { freeSlots(days: 31) { id } } } }';
const costlyNestedLists = `{ ${Array.from(
  { length: 12 },
  (_, i) => `a${i}: clinics { doctors { freeSlots(days: 31) { ${NESTED_LISTS} } } }`,
).join(' ')} }`;
const costlySubscription = `subscription {
  slotAvailabilityChanged(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") {
    slot { doctor { freeSlots(days: 31) { ${NESTED_LISTS} } } }
  }
}`;

const tenMegabytes = Buffer.from(
  JSON.stringify({ query: '{ clinics { name } }', variables: { padding: 'x'.repeat(10 * 1024 * 1024) } }),
);

const invalidUtf8 = Buffer.concat([
  Buffer.from('{"query":"{ clinics { name } }","variables":{"note":"'),
  Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
  Buffer.from('"}}'),
]);

const validation = (message: RegExp) => ({
  status: 400,
  code: 'GRAPHQL_VALIDATION_FAILED' as const,
  message,
});

export const HOSTILE_CORPUS: CorpusEntry[] = [
  {
    name: 'deep nesting',
    body: { query: nested('name', 8) },
    expect: validation(/nested too deeply/),
  },
  {
    name: 'alias bomb',
    body: { query: `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: clinics { name }`).join(' ')} }` },
    expect: validation(/too many aliases/),
  },
  {
    name: 'fragment cycle',
    body: {
      query: `{ clinics { ...A } }
        fragment A on Clinic { doctors { ...B } }
        fragment B on Doctor { clinic { ...A } }`,
    },
    expect: validation(/Cannot spread fragment "A" within itself/),
  },
  {
    name: 'directive flood',
    body: { query: `{ clinics { name ${'@include(if: true) '.repeat(50)} } }` },
    expect: validation(/too many directives/),
  },
  {
    name: 'costly wide selection',
    body: { query: nested('name '.repeat(100), 5) },
    expect: validation(/cost too much/),
  },
  {
    name: 'costly nested lists',
    body: { query: costlyNestedLists },
    expect: validation(/cost too much/),
  },
  {
    // Refused at subscribe time, as graphql-sse answers a distinct-connection stream: one `next` event
    // carrying the errors, then `complete`, on a 200 stream.
    name: 'costly nested subscription',
    headers: { accept: 'text/event-stream' },
    body: { query: costlySubscription },
    expect: { status: 200, code: 'GRAPHQL_VALIDATION_FAILED', message: /cost too much/ },
  },
  {
    name: 'token flood',
    body: { query: `{ clinics { ${'name '.repeat(5000)} } }` },
    expect: { status: 400, code: 'GRAPHQL_PARSE_FAILED', message: /too many tokens/ },
  },
  {
    name: '10 MB body',
    body: tenMegabytes,
    expect: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: /too large/ },
  },
  {
    name: 'invalid UTF-8',
    body: invalidUtf8,
    expect: { status: 400, code: 'BAD_REQUEST', message: /not valid UTF-8/ },
  },
  {
    name: '1,000 batched operations',
    body: Array.from({ length: 1000 }, () => ({ query: '{ clinics { name } }' })),
    expect: { status: 400, code: 'BATCH_TOO_LARGE', message: /Too many operations/ },
  },
  {
    name: 'cross-site GET without a preflight header',
    method: 'GET',
    search: { query: '{ clinics { name } }' },
    expect: { status: 400, code: 'BAD_REQUEST', message: /Cross-Site Request Forgery/ },
  },
  {
    name: 'cross-site form POST (text/plain)',
    headers: { 'content-type': 'text/plain' },
    body: Buffer.from('{"query":"{ clinics { name } }"}'),
    expect: { status: 400, code: 'BAD_REQUEST', message: /Cross-Site Request Forgery/ },
  },
];

export interface SentResponse {
  status: number;
  code: string | undefined;
  headers: Headers;
  body: string;
}

export async function send(url: string, request: HostileRequest): Promise<SentResponse> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(request.search ?? {})) target.searchParams.set(name, value);
  const method = request.method ?? 'POST';
  const raw = request.body instanceof Buffer ? request.body : undefined;
  const response = await fetch(target, {
    method,
    headers:
      method === 'GET' ? { ...request.headers } : { 'content-type': 'application/json', ...request.headers },
    ...(method === 'GET' ? {} : { body: raw ?? JSON.stringify(request.body) }),
  });
  let body = await response.text();
  // An event stream's answer is its first event's data: the result that refused the subscription.
  if (response.headers.get('content-type')?.startsWith('text/event-stream'))
    body = /^data: (.*)$/m.exec(body)?.[1] ?? '';
  let code: string | undefined;
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
    code = parsed.errors?.[0]?.extensions?.code;
  } catch {
    code = undefined;
  }
  return { status: response.status, code, headers: response.headers, body };
}
