import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INTERNAL_IDENTITY_HEADER } from '@clinic/platform';
import { ForwardingDataSource } from './forwarding-data-source';

const source = new ForwardingDataSource({
  name: 'appointments',
  url: undefined,
  internalIdentitySecret: 'x'.repeat(32),
  timeoutMs: 1000,
});

type FetcherResponse = Parameters<ForwardingDataSource['errorFromResponse']>[0];
// Node's Response is one at run time; the typings here lack Headers' iterators, which are never used.
const asFetched = (response: Response) => response as unknown as FetcherResponse;

const subgraphAnswer = (status: number, body: unknown) =>
  asFetched(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

describe('a subgraph’s HTTP error', () => {
  const typed = 'jane@example.com';

  it('keeps nothing of the body, which can quote what the caller typed', async () => {
    const error = await source.errorFromResponse(
      subgraphAnswer(400, {
        errors: [{ message: `Variable "$f" got invalid value "${typed}"`, extensions: { code: 'OTHER' } }],
      }),
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(typed);
    expect(error.extensions['code']).toBeUndefined();
  });

  it('is the caller’s mistake when the subgraph refused the input itself', async () => {
    const error = await source.errorFromResponse(
      subgraphAnswer(400, { errors: [{ message: typed, extensions: { code: 'BAD_USER_INPUT' } }] }),
    );
    expect({ message: error.message, code: error.extensions['code'] }).toEqual({
      message: 'An argument has an invalid value.',
      code: 'BAD_USER_INPUT',
    });
  });

  it('is ours when the body is not GraphQL at all', async () => {
    const page = new Response('<html>jane@example.com</html>', { status: 500 });
    const error = await source.errorFromResponse(asFetched(page));
    expect(error.message).toBe('The subgraph answered HTTP 500.');
  });

  it('is retryable when a proxy in between says the subgraph is unavailable for now', async () => {
    for (const status of [502, 503, 504]) {
      const page = new Response('<html>jane@example.com</html>', { status });
      const error = await source.errorFromResponse(asFetched(page));
      expect({ status, code: error.extensions['code'] }).toEqual({ status, code: 'SERVICE_UNAVAILABLE' });
      expect(error.message).not.toContain(typed);
    }
  });
});

describe('a subgraph that does not answer', () => {
  it('is retryable: a refused connection gives SERVICE_UNAVAILABLE, naming neither address nor cause', async () => {
    const closed = new ForwardingDataSource({
      name: 'doctors',
      // Port 9 (discard) is closed on a test machine: the connection is refused at once.
      url: 'http://127.0.0.1:9/graphql',
      internalIdentitySecret: 'x'.repeat(32),
      timeoutMs: 5_000,
    });
    const failure = await closed.fetcher('http://127.0.0.1:9/graphql', { method: 'POST', body: '{}' }).then(
      () => null,
      (error: unknown) => error as { message: string; extensions: Record<string, unknown> },
    );
    expect(failure?.extensions['code']).toBe('SERVICE_UNAVAILABLE');
    expect(failure?.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch failed/);
  });
});

describe('a subgraph slower than the deadline', () => {
  it('is cut off with SERVICE_UNAVAILABLE at the deadline', async () => {
    // Takes the request and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const slow = new ForwardingDataSource({
      name: 'audit',
      url: undefined,
      internalIdentitySecret: 'x'.repeat(32),
      timeoutMs: 100,
    });
    try {
      const failure = await slow
        .fetcher(`http://127.0.0.1:${port}/graphql`, { method: 'POST', body: '{}' })
        .then(
          () => null,
          (error: unknown) => error as { message: string; extensions: Record<string, unknown> },
        );
      expect(failure?.extensions['code']).toBe('SERVICE_UNAVAILABLE');
      expect(failure?.message).not.toMatch(/abort|timeout|127\.0\.0\.1/i);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('the internal identity', () => {
  // willSendRequest reads only the request's headers and the context.
  type SendOptions = Parameters<ForwardingDataSource['willSendRequest']>[0];
  const signedFor = async (context: { identity: null; correlationId: string }) => {
    const headers = new Map<string, string>();
    await source.willSendRequest({ request: { http: { headers } }, context } as unknown as SendOptions);
    return headers.get(INTERNAL_IDENTITY_HEADER);
  };

  it('is signed once per incoming request, shared by all its subgraph fetches', async () => {
    const one = { identity: null, correlationId: 'req-1' };
    const first = await signedFor(one);
    expect(first).toEqual(expect.any(String));
    expect(await signedFor(one)).toBe(first);
    expect(await signedFor({ identity: null, correlationId: 'req-2' })).not.toBe(first);
  });
});

describe('what reaches the subgraph', () => {
  type ProcessOptions = Parameters<ForwardingDataSource['process']>[0];

  it('is a caller’s own `representations` variable as sent, and each distinct entity of a fetch once', async () => {
    const seen: unknown[] = [];
    const echo = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          variables: { representations: { id: string }[] | string[] };
        };
        seen.push(body.variables.representations);
        response.writeHead(200, { 'content-type': 'application/json' });
        const entities = body.variables.representations.map((r) =>
          typeof r === 'string' ? r : { __typename: 'Doctor', id: r.id },
        );
        response.end(JSON.stringify({ data: { _entities: entities, echo: entities } }));
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const subgraph = new ForwardingDataSource({
      name: 'doctors',
      url: `http://127.0.0.1:${(echo.address() as AddressInfo).port}/graphql`,
      internalIdentitySecret: 'x'.repeat(32),
      timeoutMs: 5_000,
    });
    const send = (query: string, representations: unknown[]) =>
      subgraph.process({
        kind: 'incoming operation',
        request: { query, variables: { representations } },
        context: { identity: null, correlationId: 'req-1' },
        incomingRequestContext: {},
      } as unknown as ProcessOptions);
    try {
      await send('mutation($representations:[ID!]!){echo(ids:$representations)}', ['x', 'x', 'y']);
      const doctor = (id: string) => ({ __typename: 'Doctor', id });
      const answer = await send(
        'query Q__doctors__1($representations:[_Any!]!){_entities(representations:$representations){...on Doctor{id}}}',
        [doctor('a'), doctor('a'), doctor('b')],
      );
      expect(seen).toEqual([
        ['x', 'x', 'y'],
        [doctor('a'), doctor('b')],
      ]);
      expect(answer.data?.['_entities']).toEqual([doctor('a'), doctor('a'), doctor('b')]);
    } finally {
      echo.close();
    }
  });
});
