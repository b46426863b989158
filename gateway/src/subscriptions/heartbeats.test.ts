import { sendDueHeartbeats, type HeartbeatStream } from './heartbeats';

/** Streams that last wrote at the given times, with a 10 ms period, recording their comments. */
function streams(lastWrites: number[]) {
  const comments: number[] = [];
  const list: HeartbeatStream[] = lastWrites.map((lastWrite, index) => {
    let last = lastWrite;
    return {
      heartbeat: (now) => {
        if (now - last < 10) return false;
        last = now;
        comments.push(index);
        return true;
      },
    };
  });
  return { list, comments };
}

describe('sendDueHeartbeats', () => {
  it('comments only on the streams quiet for a whole period', () => {
    const { list, comments } = streams([0, 5, 0, 95]);
    expect(sendDueHeartbeats(list, 100)).toBe(3);
    expect(comments).toEqual([0, 1, 2]);
  });

  it('sends at most the limit per tick; the streams left over get theirs on the next ticks', () => {
    const { list, comments } = streams([0, 0, 0, 0, 0]);
    expect(sendDueHeartbeats(list, 100, 2)).toBe(2);
    expect(comments).toEqual([0, 1]);
    expect(sendDueHeartbeats(list, 101, 2)).toBe(2);
    expect(sendDueHeartbeats(list, 102, 2)).toBe(1);
    expect(comments).toEqual([0, 1, 2, 3, 4]);
    // Spread over three ticks, they stay apart: the next period's comments come in the same order.
    expect(sendDueHeartbeats(list, 110, 2)).toBe(2);
    expect(sendDueHeartbeats(list, 111, 2)).toBe(2);
    expect(comments.slice(5)).toEqual([0, 1, 2, 3]);
  });
});
