import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { useAddressPacing, type PacingLimits } from './use-address-pacing';

/** Just enough of Express's request and response for the middleware: an address, writeHead, close. */
class FakeResponse extends EventEmitter {
  destroyed = false;
  statusCode = 200;
  headers: Record<string, string> = {};
  body: unknown;
  writeHead(status: number) {
    this.statusCode = status;
    return this;
  }
  setHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getHeader(name: string) {
    return this.headers[name];
  }
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  json(body: unknown) {
    this.body = body;
    this.writeHead(this.statusCode);
    return this;
  }
}

interface Sent {
  started: number | null;
  response: FakeResponse;
  answer(): void;
}

function harness(limits: PacingLimits) {
  const pacing = useAddressPacing(limits);
  const send = (ip: string): Sent => {
    const response = new FakeResponse();
    const request = { ip, socket: { destroyed: false } } as unknown as Request;
    const sent: Sent = {
      started: null,
      response,
      answer: () => {
        response.writeHead(200);
        response.emit('close');
      },
    };
    pacing(request, response as unknown as Response, () => (sent.started = Date.now()));
    return sent;
  };
  return { send };
}

const limits: PacingLimits = { concurrent: 2, perSecond: 10, burst: 2, queued: 3 };

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

describe('useAddressPacing', () => {
  it('starts a burst at once, then one request per interval', async () => {
    const { send } = harness({ ...limits, concurrent: 5, queued: 10 });
    const sent = Array.from({ length: 5 }, () => send('10.0.0.1'));
    await jest.advanceTimersByTimeAsync(0);
    expect(sent.map((request) => request.started)).toEqual([0, 0, null, null, null]);
    await jest.advanceTimersByTimeAsync(1000);
    // 10 a second: the burst of two at 0 ms, then one every 100 ms (each on the event loop turn after).
    const started = sent.map((request) => request.started ?? NaN);
    expect(started.slice(0, 2)).toEqual([0, 0]);
    for (const [index, at] of started.entries())
      if (index >= 2) expect(at - (started[index - 1] ?? 0)).toBeGreaterThanOrEqual(index === 2 ? 100 : 99);
    expect(started[4]).toBeLessThan(310);
  });

  it('gives no fresh burst to a sender that pauses between batches before its pace has caught up', async () => {
    const { send } = harness({ ...limits, concurrent: 5, queued: 10 });
    const first = [send('10.0.0.8'), send('10.0.0.8')];
    await jest.advanceTimersByTimeAsync(10);
    for (const request of first) request.answer();
    const second = [send('10.0.0.8'), send('10.0.0.8')];
    await jest.advanceTimersByTimeAsync(1000);
    expect(first.map((request) => request.started)).toEqual([0, 0]);
    // The burst was spent at 0 ms: the next two start on the pace, at 100 and 200 ms.
    expect(second[0]?.started).toBeGreaterThanOrEqual(100);
    expect(second[1]?.started).toBeGreaterThanOrEqual(200);
  });

  it('forgets an idle address once it owes nothing: a burst again after a quiet spell', async () => {
    const { send } = harness({ ...limits, concurrent: 5, queued: 10 });
    const first = [send('10.0.0.9'), send('10.0.0.9')];
    await jest.advanceTimersByTimeAsync(10);
    for (const request of first) request.answer();
    await jest.advanceTimersByTimeAsync(1000);
    const later = [send('10.0.0.9'), send('10.0.0.9')];
    await jest.advanceTimersByTimeAsync(5);
    expect(later.map((request) => request.started)).toEqual([1010, 1010]);
  });

  it('holds requests beyond the concurrency until an answer starts, then lets the next one in', async () => {
    const { send } = harness({ ...limits, perSecond: 1000, burst: 1000 });
    const [first, second, third] = [send('10.0.0.2'), send('10.0.0.2'), send('10.0.0.2')];
    await jest.advanceTimersByTimeAsync(50);
    expect([first?.started, second?.started, third?.started]).toEqual([0, 0, null]);
    first?.answer();
    await jest.advanceTimersByTimeAsync(0);
    expect(third?.started).toBe(50);
  });

  it('starts a waiting request in its own async context, not that of the request whose answer let it in', async () => {
    // Its logs and errors carry its own correlation id (an AsyncLocalStorage an earlier middleware set),
    // whichever request's answer, closed connection or timer starts it. Real timers: fake ones carry
    // no async context at all, which would hide the wrong one.
    jest.useRealTimers();
    const pacing = useAddressPacing({ concurrent: 1, perSecond: 20, burst: 1, queued: 10 });
    const context = new AsyncLocalStorage<string>();
    const seen: Record<string, string | undefined> = {};
    const started: Record<string, () => void> = {};
    const responses: Record<string, FakeResponse> = {};
    for (const id of ['first', 'second', 'third', 'fourth']) {
      const response = (responses[id] = new FakeResponse());
      const request = { ip: '10.0.0.5', socket: { destroyed: false } } as unknown as Request;
      context.run(id, () =>
        pacing(request, response as unknown as Response, () => {
          seen[id] = context.getStore();
          started[id]?.();
        }),
      );
    }
    const turn = (id: string) => new Promise<void>((resolve) => (started[id] = resolve));
    // first starts at once; second when first's answer starts (inside first's context); third when
    // second's connection closes (inside second's); fourth on the pace's timer once third answers.
    await new Promise((resolve) => setImmediate(resolve));
    const second = turn('second');
    context.run('first', () => responses['first']?.writeHead(200));
    await second;
    const third = turn('third');
    context.run('second', () => responses['second']?.emit('close'));
    await third;
    const fourth = turn('fourth');
    context.run('third', () => responses['third']?.writeHead(200));
    await fourth;
    expect(seen).toEqual({ first: 'first', second: 'second', third: 'third', fourth: 'fourth' });
  });

  it('answers 429 with Retry-After, after a pause, once the queue of one address is full', async () => {
    const { send } = harness({ ...limits, perSecond: 1000, burst: 1000 });
    const sent = Array.from({ length: 6 }, () => send('10.0.0.3'));
    await jest.advanceTimersByTimeAsync(0);
    const refused = sent[5]?.response;
    expect(refused?.body).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1000);
    expect(refused?.statusCode).toBe(429);
    expect(refused?.headers['retry-after']).toBe('1');
    expect(refused?.body).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    expect(sent.slice(0, 2).every((request) => request.started === 0)).toBe(true);
    expect(sent.slice(2, 5).every((request) => request.started === null)).toBe(true);
  });

  it('paces each address on its own', async () => {
    const { send } = harness({ ...limits, concurrent: 5, queued: 10 });
    const busy = Array.from({ length: 4 }, () => send('10.0.0.4'));
    const other = send('10.0.0.5');
    await jest.advanceTimersByTimeAsync(0);
    expect(other.started).toBe(0);
    expect(busy.filter((request) => request.started !== null)).toHaveLength(2);
  });

  it('passes the turn on when a waiting caller has gone away, without doing its work', async () => {
    const { send } = harness({ ...limits, concurrent: 1, perSecond: 1000, burst: 1000 });
    const first = send('10.0.0.6');
    const gone = send('10.0.0.6');
    const last = send('10.0.0.6');
    gone.response.destroyed = true;
    await jest.advanceTimersByTimeAsync(0);
    first.answer();
    await jest.advanceTimersByTimeAsync(5);
    expect(gone.started).toBeNull();
    expect(last.started).not.toBeNull();
  });

  it('ends a stream’s turn when its answer starts, not when the connection closes', async () => {
    const { send } = harness({ ...limits, concurrent: 1, perSecond: 1000, burst: 1000 });
    const stream = send('10.0.0.7');
    const next = send('10.0.0.7');
    await jest.advanceTimersByTimeAsync(0);
    stream.response.writeHead(200); // the stream's headers go out; the connection stays open
    await jest.advanceTimersByTimeAsync(0);
    expect(next.started).toBe(0);
  });
});
