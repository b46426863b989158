import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { createLogger, InProcessEventBus } from '@clinic/platform';
import express from 'express';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { LiveHub } from './live-hub';
import { createSseEndpoint } from './sse-handler';

const schema = buildSchema(readFileSync(path.join(__dirname, '../../../schema/api.graphql'), 'utf8'));
const logger = createLogger('gateway', 'silent');

/** The endpoint alone, on a port, with a token check that waits until the test lets it finish. */
async function endpoint(currentSchema: () => GraphQLSchema = () => schema) {
  const bus = new InProcessEventBus({ logger });
  const hub = new LiveHub({
    bus,
    logger,
    schema: currentSchema,
    runQuery: () => Promise.resolve({ data: null }),
  });
  await hub.start();
  let release!: () => void;
  const checked = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const checking = new Promise<void>((resolve) => (entered = resolve));
  const sse = createSseEndpoint({
    hub,
    schema: currentSchema,
    verifyToken: async () => {
      entered();
      await checked;
      return null;
    },
    runQuery: () => Promise.resolve({ data: null }),
    logger,
  });
  const app = express();
  app.use(express.json());
  app.use('/graphql', (req, res, next) => {
    if (!sse.accepts(req)) return next();
    sse.handle(req, res).catch(next);
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    hub,
    port,
    release,
    checking,
    stop: async () => {
      sse.close();
      await bus.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const SUBSCRIPTION = JSON.stringify({
  query:
    'subscription($from: DateTime!, $to: DateTime!) { slotAvailabilityChanged(from: $from, to: $to) { slotId } }',
  variables: { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' },
});

/** A distinct-connection subscription over a raw socket, so the test decides how the client leaves. */
function subscribe(port: number) {
  const socket = connect(port, '127.0.0.1');
  const firstBytes = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(SUBSCRIPTION)}\r\n\r\n` +
      SUBSCRIPTION,
  );
  return { socket, firstBytes };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (let waited = 0; !condition() && waited < timeoutMs; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('a distinct-connection subscription', () => {
  it('is not attached when its client leaves while the token is being checked', async () => {
    const { hub, port, release, checking, stop } = await endpoint();
    try {
      const { socket } = subscribe(port);
      // The request is in and waiting for the token check; the client goes away.
      await checking;
      // A reset, so the server's socket closes at once (a FIN would leave it half open until it answers).
      socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await until(() => hub.stats.subscribers === 0, 2_000);
      expect(hub.stats.subscribers).toBe(0);
      expect(hub.stats.groups).toBe(0);
    } finally {
      await stop();
    }
  });

  it('is attached, and leaves when its client goes', async () => {
    const { hub, port, release, stop } = await endpoint();
    release();
    try {
      const { socket, firstBytes } = subscribe(port);
      expect(await firstBytes).toMatch(/^HTTP\/1\.1 200[\s\S]*text\/event-stream/);
      expect(hub.stats.subscribers).toBe(1);
      socket.destroy();
      await until(() => hub.stats.subscribers === 0, 5_000);
      expect(hub.stats.subscribers).toBe(0);
    } finally {
      await stop();
    }
  });
});

describe('subscription documents', () => {
  it('are checked once per text and schema: the same text shares one document, a new schema checks again', async () => {
    let current = schema;
    const { hub, port, release, stop } = await endpoint(() => current);
    release();
    const joined: unknown[] = [];
    const attach = hub.attach.bind(hub);
    hub.attach = (request, writer) => {
      joined.push(request.document);
      return attach(request, writer);
    };
    const sockets: ReturnType<typeof subscribe>['socket'][] = [];
    try {
      for (let n = 0; n < 2; n++) {
        const { socket, firstBytes } = subscribe(port);
        sockets.push(socket);
        expect(await firstBytes).toMatch(/^HTTP\/1\.1 200/);
      }
      expect(joined).toHaveLength(2);
      expect(joined[1]).toBe(joined[0]);
      // The supergraph changed and no longer has the field: the same text is now refused.
      current = buildSchema('type Query { ok: Boolean } type Subscription { ok: Boolean }');
      const { socket } = subscribe(port);
      sockets.push(socket);
      let text = '';
      socket.on('data', (chunk) => (text += String(chunk)));
      await until(() => text.includes('event: complete'), 5_000);
      expect(text).toMatch(/Cannot query field \\"slotAvailabilityChanged\\"/);
      expect(joined).toHaveLength(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await stop();
    }
  });
});

describe('a subscription document', () => {
  it('over the query path token limit is refused with 400, the limit not named', async () => {
    const { port, release, stop } = await endpoint();
    release();
    try {
      const query = `subscription { slotAvailabilityChanged(from: "a", to: "b") { ${'slotId '.repeat(2_000)} } }`;
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { message: string }[] };
      expect(body.errors[0]?.message).toBe('The operation has too many tokens.');
    } finally {
      await stop();
    }
  });
});

describe('subscriptions from one address', () => {
  it('may hold only so many distinct groups, signed in or not: varying the selection cannot multiply resolutions', async () => {
    const { hub, port, release, stop } = await endpoint();
    release();
    const controller = new AbortController();
    // Each alias makes another selection, and so another group the hub resolves every event for.
    const open = (index: number) =>
      fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        signal: controller.signal,
        headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `subscription($from: DateTime!, $to: DateTime!) { slotAvailabilityChanged(from: $from, to: $to) { a${index}: slotId } }`,
          variables: { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' },
        }),
      });
    try {
      for (let index = 0; index < 20; index++) expect((await open(index)).status).toBe(200);
      await until(() => hub.stats.subscribers === 20, 30_000);
      const refused = await open(20);
      const text = await Promise.race([
        refused.text(),
        new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 30_000)),
      ]);
      expect(text).toContain('RATE_LIMITED');
      expect(text).toContain('event: complete');
      expect(hub.stats.subscribers).toBe(20);
    } finally {
      controller.abort();
      await stop();
    }
  });
});
