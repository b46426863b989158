import http from 'node:http';
import net from 'node:net';
import pino from 'pino';
import { eventually } from '@clinic/testing';
import { metrics } from '../metrics/catalogue';
import { closeServer, createHttpApp, KEEP_ALIVE_TIMEOUT_MS, listen } from './http-app';

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
      service: 'audit',
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
      service: 'audit',
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
    const app = createHttpApp({ service: 'audit', logger, readiness: async () => ({}) });
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
    const app = createHttpApp({ service: 'audit', logger, readiness: async () => ({}) });
    app.get('/never', () => undefined);
    const { server, port } = await listen(app, 0);
    const never = get(port, '/never');
    await new Promise((resolve) => server.once('request', resolve));
    await closeServer(server, 100);
    await expect(never).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('the HTTP shell times every answer by its route template, never its URL', () => {
  it('labels matched templates, mounted paths, a named stream and everything else as `other`', async () => {
    const canary = `zqcanary${Date.now()}`;
    const app = createHttpApp({
      service: 'doctors',
      logger: pino({ level: 'silent' }),
      readiness: async () => ({ database: 'ok' }),
    });
    app.get('/console/assets/:file', (_request, response) => void response.send('asset'));
    app.use('/graphql', (request, response, next) => {
      if (request.headers.accept !== 'text/event-stream') return next();
      response.locals['httpRoute'] = '/graphql/stream';
      response.end();
    });
    app.use('/graphql', (_request, response) => void response.json({ data: null }));
    const { server, port } = await listen(app, 0);
    try {
      const url = (path: string) => `http://127.0.0.1:${port}${path}`;
      await fetch(url('/healthz'));
      await fetch(url(`/console/assets/${canary}.js?${canary}=1`));
      await fetch(url('/graphql'), { method: 'POST', headers: { 'x-canary': canary } });
      await fetch(url('/graphql'), { headers: { accept: 'text/event-stream' } });
      await fetch(url(`/graphql/${canary}`));
      await fetch(url(`/${canary}`));
      // The response closes just after the client has it: wait for the last one to be counted.
      await eventually(async () => {
        const values = (await metrics.httpDuration.get()).values;
        const ours = values.filter(
          (sample) => sample.metricName?.endsWith('_count') && sample.labels.service === 'doctors',
        );
        return ours.length >= 6 ? true : undefined;
      }, 30_000);
      const counted = (await metrics.httpDuration.get()).values
        // One registry per process: the drain cases above answer as another service.
        .filter(
          (sample) =>
            sample.metricName === 'http_server_request_duration_seconds_count' &&
            sample.labels.service === 'doctors',
        )
        .map((sample) => [
          sample.labels.http_route,
          sample.labels.http_request_method,
          sample.labels.http_response_status_code,
          sample.value,
        ]);
      expect(counted.sort()).toEqual(
        [
          ['/healthz', 'GET', '200', 1],
          ['/console/assets/:file', 'GET', '200', 1],
          ['/graphql', 'POST', '200', 1],
          ['/graphql/stream', 'GET', '200', 1],
          // A path under a mount, and a path nobody serves: the caller's text is never a label.
          ['other', 'GET', '200', 1],
          ['other', 'GET', '404', 1],
        ].sort(),
      );
      expect(JSON.stringify(await metrics.httpDuration.get())).not.toContain(canary);
    } finally {
      await closeServer(server);
    }
  });
});

describe('keep-alive connections', () => {
  it('answers a request sent on a connection idle longer than Node keeps one by default (5 s), as a load balancer sends them', async () => {
    const app = createHttpApp({ service: 'doctors', logger, readiness: async () => ({}) });
    const { server, port } = await listen(app, 0);
    const socket = net.connect(port, '127.0.0.1');
    try {
      let received = '';
      let closed = false;
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('close', () => (closed = true));
      socket.on('error', () => (closed = true));
      const request = 'GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n';
      const answered = async () => {
        while (!/^HTTP\/1\.1 200 /.test(received) || !received.includes('\r\n\r\n')) {
          if (closed) return false;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return true;
      };
      socket.write(request);
      expect(await answered()).toBe(true);
      expect(received).toContain(`Keep-Alive: timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}\r\n`);
      // An ALB keeps its connection to the target for its own idle timeout (an hour here) and sends the
      // next request on it whenever one comes; a server that closed first makes that request a 502.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      received = '';
      expect(closed).toBe(false);
      socket.write(request);
      expect(await answered()).toBe(true);
    } finally {
      socket.destroy();
      await closeServer(server, 1_000);
    }
  }, 30_000);
});
