import { KafkaJSAggregateError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { mayKeepWaiting, whileKafkaSettles } from './kafka-bus';

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

/** A broker's refusal as kafkajs builds it from the response's error code (protocol/error.js). */
function refusal(type: string, code: number, retriable: boolean) {
  return new KafkaJSProtocolError(Object.assign(new Error('refused'), { type, code, retriable }));
}

describe('an admin step on a broker whose metadata is settling', () => {
  it('is tried again while a topic just created is unknown or its leader is moving, and answers', async () => {
    const refusals = [
      refusal('UNKNOWN_TOPIC_OR_PARTITION', 3, true),
      refusal('LEADER_NOT_AVAILABLE', 5, true),
      refusal('NOT_LEADER_FOR_PARTITION', 6, true),
    ];
    const step = jest.fn(async () => {
      const next = refusals.shift();
      if (next) throw next;
      return 'offsets';
    });
    const pauses: number[] = [];
    await expect(whileKafkaSettles(step, async (ms) => void pauses.push(ms))).resolves.toBe('offsets');
    expect(step).toHaveBeenCalledTimes(4);
    expect(pauses).toEqual([100, 200, 400]);
  });

  it("is tried again when createTopics reports its topics' refusals together, unless one is not mended by waiting", async () => {
    // The per-topic refusals a CreateTopics response can give while the cluster settles.
    const timedOut = refusal('REQUEST_TIMED_OUT', 7, true);
    const notController = refusal('NOT_CONTROLLER', 41, true);
    const exists = refusal('TOPIC_ALREADY_EXISTS', 36, false);
    const denied = refusal('TOPIC_AUTHORIZATION_FAILED', 29, false);
    const settling = new KafkaJSAggregateError('Topic creation errors', [timedOut, notController, exists]);
    const step = jest.fn(async () => {
      if (step.mock.calls.length === 1) throw settling;
      return 'created';
    });
    await expect(whileKafkaSettles(step, async () => undefined)).resolves.toBe('created');
    expect(step).toHaveBeenCalledTimes(2);

    const refused = new KafkaJSAggregateError('Topic creation errors', [timedOut, denied]);
    const refusedStep = jest.fn(async () => {
      throw refused;
    });
    await expect(whileKafkaSettles(refusedStep, async () => undefined)).rejects.toBe(refused);
    expect(refusedStep).toHaveBeenCalledTimes(1);
  });

  it('fails at once on a refusal that waiting does not mend', async () => {
    const denied = refusal('TOPIC_AUTHORIZATION_FAILED', 29, false);
    const exhausted = new KafkaJSNumberOfRetriesExceeded(refusal('NOT_LEADER_FOR_PARTITION', 6, true), {
      retryCount: 10,
      retryTime: 5_000,
    });
    for (const error of [denied, exhausted, new Error('not a broker refusal')]) {
      const step = jest.fn(async () => {
        throw error;
      });
      await expect(whileKafkaSettles(step, async () => undefined)).rejects.toBe(error);
      expect(step).toHaveBeenCalledTimes(1);
    }
  });

  it("gives up after ten tries, with the broker's last refusal, having paused at most 2 s at a time", async () => {
    const notLeader = refusal('NOT_LEADER_FOR_PARTITION', 6, true);
    const step = jest.fn(async () => {
      throw notLeader;
    });
    const pauses: number[] = [];
    await expect(whileKafkaSettles(step, async (ms) => void pauses.push(ms))).rejects.toBe(notLeader);
    expect(step).toHaveBeenCalledTimes(10);
    expect(pauses).toEqual([100, 200, 400, 800, 1_600, 2_000, 2_000, 2_000, 2_000]);
  });
});
