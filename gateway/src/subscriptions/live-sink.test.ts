import { LiveSink } from './live-sink';

describe('LiveSink', () => {
  it('hands results over in order', async () => {
    const sink = new LiveSink(
      10,
      () => undefined,
      () => undefined,
    );
    sink.push({ data: { n: 1 } });
    sink.push({ data: { n: 2 } });
    expect((await sink.next()).value).toEqual({ data: { n: 1 } });
    expect((await sink.next()).value).toEqual({ data: { n: 2 } });
  });

  it('replaces a full queue with one SLOW_CONSUMER error and ends', async () => {
    let closed = 0;
    let cut = 0;
    const sink = new LiveSink(
      2,
      () => closed++,
      () => cut++,
    );
    for (let n = 0; n < 5; n++) sink.push({ data: { n } });
    expect(cut).toBe(1);
    expect(closed).toBeGreaterThan(0);
    const last = await sink.next();
    expect(last.value?.errors?.[0]?.extensions?.['code']).toBe('SLOW_CONSUMER');
    expect((await sink.next()).done).toBe(true);
  });

  it('ends a waiting reader when the stream is ended, and delivers what was queued first', async () => {
    const sink = new LiveSink(
      10,
      () => undefined,
      () => undefined,
    );
    const waiting = sink.next();
    sink.end();
    expect((await waiting).done).toBe(true);
    const other = new LiveSink(
      10,
      () => undefined,
      () => undefined,
    );
    other.push({ data: { n: 1 } });
    other.end();
    expect((await other.next()).value).toEqual({ data: { n: 1 } });
    expect((await other.next()).done).toBe(true);
  });
});
