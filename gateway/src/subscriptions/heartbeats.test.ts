import { heartbeatsPerTick, sendDueHeartbeats, type HeartbeatStream } from './heartbeats';

/** Streams that last wrote at the given times, with a 10 ms period, recording their comments in order. */
function streams(lastWrites: number[]) {
  const comments: number[] = [];
  const set = new Set<HeartbeatStream>(
    lastWrites.map((lastWrite, index) => {
      let last = lastWrite;
      return {
        heartbeat: (now: number) => {
          if (now - last < 10) return false;
          last = now;
          comments.push(index);
          return true;
        },
      };
    }),
  );
  return { set, comments };
}

describe('sendDueHeartbeats', () => {
  it('comments only on the streams quiet for a whole period', () => {
    const { set, comments } = streams([0, 5, 0, 95]);
    expect(sendDueHeartbeats(set, 100, 1000)).toBe(3);
    expect(comments).toEqual([0, 1, 2]);
  });

  it('sends at most the limit per tick; the streams left over get theirs on the next ticks', () => {
    const { set, comments } = streams([0, 0, 0, 0, 0]);
    expect(sendDueHeartbeats(set, 100, 2)).toBe(2);
    expect(comments).toEqual([0, 1]);
    expect(sendDueHeartbeats(set, 101, 2)).toBe(2);
    expect(sendDueHeartbeats(set, 102, 2)).toBe(1);
    expect(comments).toEqual([0, 1, 2, 3, 4]);
  });

  it('passes over no stream for good when more are quiet than the limit allows in a period', () => {
    // Twelve streams, two comments per tick, a tick every 2 ms against a 10 ms period (room for ten): the
    // first streams are due again before the scan reaches the last two, unless served streams go to the back.
    const { set, comments } = streams(Array.from({ length: 12 }, () => 0));
    for (let now = 100; now < 200; now += 2) sendDueHeartbeats(set, now, 2);
    for (let index = 0; index < 12; index++)
      expect(comments.filter((c) => c === index).length).toBeGreaterThanOrEqual(5);
  });
});

describe('heartbeatsPerTick', () => {
  it('lets every stream have its comment within a period, and never goes below the floor', () => {
    expect(heartbeatsPerTick(10, 1000, 12_000)).toBe(1000);
    // 50,000 streams, a tick a second, a 12 s period: about 8,334 per tick.
    expect(heartbeatsPerTick(50_000, 1000, 12_000)).toBe(8334);
  });
});
