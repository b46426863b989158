import pino from 'pino';
import { InProcessEventBus } from '../events/in-process-bus';
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
