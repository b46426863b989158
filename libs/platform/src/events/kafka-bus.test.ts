import { KafkaJSProtocolError } from 'kafkajs';
import { mayKeepWaiting } from './kafka-bus';

/** A batch's progress as kafkajs lends it, with a heartbeat that answers as told. */
function progress(heartbeat: () => Promise<void>, state = { running: true, stale: false }) {
  return { isRunning: () => state.running, isStale: () => state.stale, heartbeat };
}

describe('a handler waiting for its database', () => {
  it('keeps its batch while the consumer runs and the heartbeat is answered', async () => {
    expect(await mayKeepWaiting(progress(async () => undefined))).toBe(true);
  });

  it('lets go as soon as the group rebalances, so this member can rejoin', async () => {
    // kafkajs's heartbeat rethrows the coordinator's REBALANCE_IN_PROGRESS (runner.js heartbeat()).
    const rebalancing = new KafkaJSProtocolError('The group is rebalancing, so a rejoin is needed');
    Object.assign(rebalancing, { type: 'REBALANCE_IN_PROGRESS' });
    expect(
      await mayKeepWaiting(
        progress(async () => {
          throw rebalancing;
        }),
      ),
    ).toBe(false);
  });

  it('lets go when the consumer stops or the batch went stale', async () => {
    const heartbeat = jest.fn(async () => undefined);
    expect(await mayKeepWaiting(progress(heartbeat, { running: false, stale: false }))).toBe(false);
    expect(await mayKeepWaiting(progress(heartbeat, { running: true, stale: true }))).toBe(false);
    expect(heartbeat).not.toHaveBeenCalled();
  });
});
