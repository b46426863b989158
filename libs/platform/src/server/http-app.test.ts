import http from 'node:http';
import pino from 'pino';
import { closeServer, createHttpApp, listen } from './http-app';

const logger = pino({ level: 'silent' });

/** One request on a connection of its own, answered or failed. */
function get(port: number, path: string): Promise<{ status: number; connection?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          ...(response.headers.connection ? { connection: response.headers.connection } : {}),
          body,
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

describe('the HTTP shell while the service drains', () => {
  it('answers /readyz with 503 from the moment draining begins, and keeps serving with Connection: close', async () => {
    let draining = false;
    const app = createHttpApp({
      logger,
      readiness: async () => ({ database: 'ok' }),
      draining: () => draining,
    });
    app.get('/work', (_request, response) => void response.json({ done: true }));
    const { server, port } = await listen(app, 0);
    try {
      expect(await get(port, '/readyz')).toMatchObject({ status: 200 });
      draining = true;
      const ready = await get(port, '/readyz');
      expect({ status: ready.status, body: JSON.parse(ready.body) }).toEqual({
        status: 503,
        body: { status: 'draining', checks: {} },
      });
      // Still alive, still serving, but every client is told to open its next connection elsewhere.
      expect(await get(port, '/healthz')).toMatchObject({ status: 200, connection: 'close' });
      expect(await get(port, '/work')).toMatchObject({ status: 200, connection: 'close' });
    } finally {
      await closeServer(server, 1_000);
    }
  });

  it('reports dependencies without going unready for them', async () => {
    const app = createHttpApp({
      logger,
      readiness: async () => ({ 'event-bus:gateway': 'ok' }),
      dependencies: async () => ({ 'subgraph:appointments': 'answered 503' }),
    });
    const { server, port } = await listen(app, 0);
    try {
      const ready = await get(port, '/readyz');
      expect({ status: ready.status, body: JSON.parse(ready.body) }).toEqual({
        status: 200,
        body: {
          status: 'ready',
          checks: { 'event-bus:gateway': 'ok' },
          dependencies: { 'subgraph:appointments': 'answered 503' },
        },
      });
    } finally {
      await closeServer(server, 1_000);
    }
  });

  it('lets a request in flight finish after it stops accepting, and refuses new connections', async () => {
    let release: () => void = () => undefined;
    const app = createHttpApp({ logger, readiness: async () => ({}) });
    app.get('/slow', (_request, response) => {
      release = () => void response.json({ done: true });
    });
    const { server, port } = await listen(app, 0);
    const slow = get(port, '/slow');
    await new Promise((resolve) => server.once('request', resolve));
    const closing = closeServer(server, 60_000);
    await expect(get(port, '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    release();
    expect(await slow).toMatchObject({ status: 200, body: '{"done":true}' });
    await closing;
  });

  it('closes a request still running at the bound, so the process can exit', async () => {
    const app = createHttpApp({ logger, readiness: async () => ({}) });
    app.get('/never', () => undefined);
    const { server, port } = await listen(app, 0);
    const never = get(port, '/never');
    await new Promise((resolve) => server.once('request', resolve));
    await closeServer(server, 100);
    await expect(never).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
