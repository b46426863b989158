/** A stream that may owe its client a keep-alive comment (streams graphql-sse serves send their own). */
export interface HeartbeatStream {
  /** Sends a comment if the stream has been quiet for a whole period; says whether it wrote. */
  heartbeat?: (now: number) => boolean;
}

/**
 * Comments sent per tick at most. Streams opened together fall quiet together: ten thousand that
 * connected in one storm each owed a comment in the same tick, and writing them all held the event loop
 * for 65 ms in the subscriptions bench, delaying the event being fanned out. Capped, the rest go on the
 * next ticks (a second later, against a 12-second period), which also spreads them apart for good.
 */
export const HEARTBEATS_PER_TICK = 1000;

/** One tick of the heartbeat timer: comments for the quiet streams, at most `limit` of them. */
export function sendDueHeartbeats(
  streams: Iterable<HeartbeatStream>,
  now: number,
  limit = HEARTBEATS_PER_TICK,
): number {
  let sent = 0;
  for (const stream of streams) {
    if (sent >= limit) break;
    if (stream.heartbeat?.(now)) sent++;
  }
  return sent;
}
