import { RequestQueue as Mended, type KafkaRequestQueue } from './kafkajs-request-queue';

/** The rest of kafkajs's queue that a broker connection uses, as these tests drive it. */
interface Queue extends KafkaRequestQueue {
  push(request: {
    entry: {
      correlationId: number;
      apiName: string;
      apiKey: number;
      apiVersion: number;
      resolve(): void;
      reject(): void;
    };
    expectResponse: boolean;
    sendRequest(): void;
  }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
}

const silent = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  info: () => undefined,
};

/** kafkajs's own queue (the class this module mends), as a broker connection makes it. */
function queue(maxInFlightRequests: number | null = null): Queue {
  const Queue = Mended as unknown as new (options: object) => Queue;
  return new Queue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: silent,
  });
}

/** Pushes a request; its number goes into `sent` when the queue sends it. */
function request(into: Queue, correlationId: number, sent: number[]): void {
  into.push({
    entry: {
      correlationId,
      apiName: 'Fetch',
      apiKey: 1,
      apiVersion: 11,
      resolve: () => undefined,
      reject: () => undefined,
    },
    expectResponse: true,
    sendRequest: () => sent.push(correlationId),
  });
}

const answer = (from: Queue, correlationId: number) =>
  from.fulfillRequest({ correlationId, payload: Buffer.alloc(0), size: 0 });

/** Counts every check of the queue's waiting requests, from now on. */
function countChecks(of: Queue): { count: number } {
  const counter = { count: 0 };
  const check = of.checkPendingRequests.bind(of);
  of.checkPendingRequests = () => {
    counter.count++;
    check();
  };
  return counter;
}

/** Whether a check of waiting requests is scheduled. */
const armed = (of: Queue) => of.throttleCheckTimeoutId !== null;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("kafkajs's request queue, mended", () => {
  it('arms no timer once every request is answered, and checks nothing while idle', async () => {
    const idle = queue();
    const sent: number[] = [];
    request(idle, 1, sent);
    answer(idle, 1);
    const checks = countChecks(idle);
    // Stock kafkajs 2.2.4 leaves a 1 ms timer armed here that re-arms itself for ever (hundreds of checks).
    expect(armed(idle)).toBe(false);
    await pause(200);
    expect(checks.count).toBe(0);
    expect(sent).toEqual([1]);
  });

  it('sends requests beyond the in-flight limit one by one as answers come, in order', async () => {
    const limited = queue(1);
    const sent: number[] = [];
    for (const id of [1, 2, 3]) request(limited, id, sent);
    expect(sent).toEqual([1]);
    answer(limited, 1);
    expect(sent).toEqual([1, 2]);
    answer(limited, 2);
    answer(limited, 3);
    expect(sent).toEqual([1, 2, 3]);
    // The check armed while requests waited runs once more, finds nothing and arms no other.
    const checks = countChecks(limited);
    await pause(200);
    expect(checks.count).toBeLessThanOrEqual(1);
    expect(armed(limited)).toBe(false);
  });

  it('checks a request waiting on the in-flight limit every 10 ms, not every millisecond', async () => {
    const limited = queue(1);
    const sent: number[] = [];
    request(limited, 1, sent);
    request(limited, 2, sent);
    const checks = countChecks(limited);
    // No answer comes for 200 ms: kafkajs's own interval allows about 20 checks, a 1 ms timer hundreds.
    await pause(200);
    expect(checks.count).toBeLessThanOrEqual(25);
    expect(sent).toEqual([1]);
    answer(limited, 1);
    expect(sent).toEqual([1, 2]);
    answer(limited, 2);
    await pause(50);
    expect(armed(limited)).toBe(false);
  });

  it('holds requests while the broker throttles the client and sends them once it stops', async () => {
    const throttled = queue();
    const sent: number[] = [];
    throttled.maybeThrottle(50);
    request(throttled, 1, sent);
    request(throttled, 2, sent);
    expect(sent).toEqual([]);
    // A check is armed for when the throttle ends; nothing needs a poke from outside.
    expect(armed(throttled)).toBe(true);
    for (let waited = 0; sent.length < 2 && waited < 10_000; waited += 10) await pause(10);
    expect(sent).toEqual([1, 2]);
    answer(throttled, 1);
    answer(throttled, 2);
    expect(throttled.pending).toEqual([]);
    expect(armed(throttled)).toBe(false);
  });
});
