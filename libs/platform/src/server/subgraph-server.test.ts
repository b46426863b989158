import pino from 'pino';
import { InProcessEventBus } from '../events/in-process-bus';
import {
  generateInternalIdentitySecret,
  INTERNAL_IDENTITY_HEADER,
  signInternalIdentity,
} from '../identity/internal-identity';
import { CORRELATION_HEADER } from '../logging/request-context';
import { startSubgraphServer } from './subgraph-server';

const logger = pino({ level: 'silent' });

describe("a subgraph's /readyz and its bus", () => {
  it('stays ready when the broker stops answering after start, listing it under dependencies; its consumers gate it', async () => {
    const state = { consumers: 'ok', broker: 'ok' };
    const bus = Object.assign(new InProcessEventBus({ logger }), {
      readiness: async () => state.consumers,
      health: async () => state.broker,
    });
    const running = await startSubgraphServer({
      name: 'doctors',
      service: { databaseUrl: 'postgresql://unused', port: 0, bus },
      resolvers: [],
      createContext: (request) => request,
      readiness: async () => ({ 'database:doctors': 'ok' }),
      logger,
    });
    const readyz = async () => {
      const answer = await fetch(`http://127.0.0.1:${running.port}/readyz`);
      return { status: answer.status, body: (await answer.json()) as unknown };
    };
    try {
      state.broker = 'no answer in 2 s';
      expect(await readyz()).toEqual({
        status: 200,
        body: {
          status: 'ready',
          checks: { 'database:doctors': 'ok', 'event-bus:doctors': 'ok' },
          dependencies: { 'broker:doctors': 'no answer in 2 s' },
        },
      });
      state.consumers = 'consumer group doctors-projection: joining';
      expect(await readyz()).toMatchObject({
        status: 503,
        body: { checks: { 'event-bus:doctors': 'consumer group doctors-projection: joining' } },
      });
    } finally {
      await running.stop();
    }
  });
});

describe("a subgraph's answers", () => {
  it('say cache-control: no-store, with or without errors, and carry no ETag', async () => {
    const secret = generateInternalIdentitySecret();
    const running = await startSubgraphServer({
      name: 'doctors',
      service: {
        databaseUrl: 'postgresql://unused',
        port: 0,
        bus: new InProcessEventBus({ logger }),
        internalIdentitySecret: secret,
      },
      resolvers: [{ Query: { clinics: () => [] } }],
      createContext: (request) => request,
      readiness: async () => ({}),
      logger,
    });
    const post = async (query: string) => {
      const answer = await fetch(running.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CORRELATION_HEADER]: 'c-1',
          [INTERNAL_IDENTITY_HEADER]: await signInternalIdentity(secret, null, 'c-1'),
        },
        body: JSON.stringify({ query }),
      });
      return {
        cacheControl: answer.headers.get('cache-control'),
        etag: answer.headers.get('etag'),
        body: (await answer.json()) as unknown,
      };
    };
    try {
      expect(await post('{ clinics { id } }')).toEqual({
        cacheControl: 'no-store',
        etag: null,
        body: { data: { clinics: [] } },
      });
      expect(await post('{ clinic(id: "x") { id } nope }')).toMatchObject({ cacheControl: 'no-store' });
    } finally {
      await running.stop();
    }
  });
});
