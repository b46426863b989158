import { createLogger, InProcessEventBus } from '@clinic/platform';
import { startGatewayAlone } from '../testing/gateway-alone';

/** A live bus whose consumers and broker answer as the test says. */
function fakeBus(state: { consumers: string; broker: string }) {
  const bus = new InProcessEventBus({ logger: createLogger('gateway', 'silent') });
  return Object.assign(bus, {
    readiness: async () => state.consumers,
    health: async () => state.broker,
  });
}

describe("the gateway's /readyz and its live bus", () => {
  it('stays ready when the broker stops answering after start, listing it under dependencies; its consumers gate it', async () => {
    const state = { consumers: 'ok', broker: 'ok' };
    const gateway = await startGatewayAlone({ live: { bus: fakeBus(state) } });
    const readyz = async () => {
      const answer = await fetch(new URL('/readyz', gateway.url));
      const body = (await answer.json()) as {
        checks: Record<string, string>;
        dependencies: Record<string, string>;
      };
      return { status: answer.status, checks: body.checks, broker: body.dependencies['broker:gateway'] };
    };
    try {
      expect(await readyz()).toEqual({ status: 200, checks: { 'event-bus:gateway': 'ok' }, broker: 'ok' });
      // As KafkaEventBus.health() reports a describeCluster that times out (an MSK blip).
      state.broker = 'no answer in 2 s';
      expect(await readyz()).toEqual({
        status: 200,
        checks: { 'event-bus:gateway': 'ok' },
        broker: 'no answer in 2 s',
      });
      // A consumer out of its group for good does make it unready: live updates would never arrive.
      state.consumers = 'consumer group gateway-live: crashed';
      expect(await readyz()).toMatchObject({
        status: 503,
        checks: { 'event-bus:gateway': 'consumer group gateway-live: crashed' },
      });
    } finally {
      await gateway.stop();
    }
  });
});
