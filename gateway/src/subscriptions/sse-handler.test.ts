import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { createLogger, InProcessEventBus } from '@clinic/platform';
import express from 'express';
import { buildSchema } from 'graphql';
import { LiveHub } from './live-hub';
import { createSseEndpoint } from './sse-handler';

const schema = buildSchema(readFileSync(path.join(__dirname, '../../../schema/api.graphql'), 'utf8'));
const logger = createLogger('gateway', 'silent');

/** The endpoint alone, on a port, with a token check that waits until the test lets it finish. */
async function endpoint() {
  const bus = new InProcessEventBus({ logger });
  const hub = new LiveHub({
    bus,
    logger,
    schema: () => schema,
    runQuery: () => Promise.resolve({ data: null }),
  });
  await hub.start();
  let release!: () => void;
  const checked = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const checking = new Promise<void>((resolve) => (entered = resolve));
  const sse = createSseEndpoint({
    hub,
    schema: () => schema,
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

describe('a distinct-connection subscription', () => {
  it('is not attached when its client leaves while the token is being checked', async () => {
    const { hub, port, release, checking, stop } = await endpoint();
    try {
      const body = JSON.stringify({
        query:
          'subscription($from: DateTime!, $to: DateTime!) { slotAvailabilityChanged(from: $from, to: $to) { slotId } }',
        variables: { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' },
      });
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      // The request is in and waiting for the token check; the client goes away.
      await checking;
      // A reset, so the server's socket closes at once (a FIN would leave it half open until it answers).
      socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      // Without the check, the stream is attached after its close event and stays for ever.
      for (let waited = 0; hub.stats.subscribers > 0 && waited < 2_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
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
      const body = JSON.stringify({
        query:
          'subscription($from: DateTime!, $to: DateTime!) { slotAvailabilityChanged(from: $from, to: $to) { slotId } }',
        variables: { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' },
      });
      const socket = connect(port, '127.0.0.1');
      const opened = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      expect(await opened).toMatch(/^HTTP\/1\.1 200[\s\S]*text\/event-stream/);
      expect(hub.stats.subscribers).toBe(1);
      socket.destroy();
      for (let waited = 0; hub.stats.subscribers > 0 && waited < 5_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(hub.stats.subscribers).toBe(0);
    } finally {
      await stop();
    }
  });
});
