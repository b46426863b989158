import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { createLogger, InProcessEventBus } from '@clinic/platform';
import express from 'express';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { LiveHub } from '../live-hub';
import { createSseEndpoint } from '../sse-handler';

/** The API schema the gateway serves, for tests of the live endpoint. */
export const schema = buildSchema(
  readFileSync(path.join(__dirname, '../../../../schema/api.graphql'), 'utf8'),
);
const logger = createLogger('gateway', 'silent');

/** The endpoint alone, on a port, with a token check that waits until the test lets it finish. */
export async function endpoint(currentSchema: () => GraphQLSchema = () => schema) {
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
export function subscribe(port: number) {
  const socket = connect(port, '127.0.0.1');
  const firstBytes = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(SUBSCRIPTION)}\r\n\r\n` +
      SUBSCRIPTION,
  );
  return { socket, firstBytes };
}
