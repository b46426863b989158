import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSubgraphFetch } from './subgraph-fetch';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(listener: RequestListener, keepAliveTimeout?: number): Promise<string> {
  const server = createServer(listener);
  if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const echo: RequestListener = (request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private' });
    response.end(JSON.stringify({ data: { echo: JSON.parse(Buffer.concat(chunks).toString()) as unknown } }));
  });
};

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('a request to a subgraph', () => {
  it('gets its own answer when many are in flight at once on shared connections', async () => {
    const url = await serve(echo);
    const fetch = createSubgraphFetch(5_000);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => fetch(url, post({ i, text: 'ü'.repeat(i * 100) }))),
    );
    for (const [i, answer] of answers.entries()) {
      expect(answer.ok).toBe(true);
      expect(answer.headers.get('Content-Type')).toBe('application/json');
      expect(answer.headers.get('cache-control')).toBe('private');
      expect(await answer.json()).toEqual({ data: { echo: { i, text: 'ü'.repeat(i * 100) } } });
    }
  });

  it('reads an error status and its body', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end('busy');
    });
    const answer = await createSubgraphFetch(5_000)(url, post({}));
    expect({ ok: answer.ok, status: answer.status, body: await answer.text() }).toEqual({
      ok: false,
      status: 503,
      body: 'busy',
    });
    expect(answer.headers.get('x-absent')).toBeNull();
  });

  it('fails when the connection is cut mid-answer', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"data":');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    await expect(createSubgraphFetch(5_000)(url, post({}))).rejects.toThrow();
  });

  it('fails at the deadline when the answer starts but never ends', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data":');
    });
    await expect(createSubgraphFetch(200)(url, post({}))).rejects.toThrow();
  });

  it('does not send on a connection the subgraph is closing as idle', async () => {
    // Node's server announces `Keep-Alive: timeout=2` and closes an idle connection about 3 s after its
    // last answer. Bursts sent just around that moment must not land on connections closing under them.
    const url = await serve(echo, 2_000);
    const fetch = createSubgraphFetch(5_000);
    const burst = () => Promise.allSettled(Array.from({ length: 50 }, (_, i) => fetch(url, post({ i }))));
    let failed = 0;
    await burst();
    for (const idle of [2_990, 2_998, 3_002, 3_010]) {
      await new Promise((resolve) => setTimeout(resolve, idle));
      failed += (await burst()).filter((result) => result.status === 'rejected').length;
    }
    expect(failed).toBe(0);
  }, 30_000);
});
