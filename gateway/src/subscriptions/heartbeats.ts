/** A stream that may owe its client a keep-alive comment (streams graphql-sse serves send their own). */
export interface HeartbeatStream {
  /** Sends a comment if the stream has been quiet for a whole period; says whether it wrote. */
  heartbeat?: (now: number) => boolean;
}

/**
 * Comments sent per tick at least. Streams opened together fall quiet together: ten thousand that
 * connected in one storm each owed a comment in the same tick, and writing them all held the event loop
 * for 65 ms in the subscriptions bench. Capped, the rest go on the next ticks, which spreads them apart.
 */
export const HEARTBEATS_PER_TICK = 1000;

/**
 * One tick of the heartbeat timer: comments for the quiet streams, at most `limit` of them. A stream that
 * got one moves to the end of `streams`, so the next ticks start with those still owed one: none is
 * passed over for good, however many there are.
 */
export function sendDueHeartbeats<S extends HeartbeatStream>(
  streams: Set<S>,
  now: number,
  limit: number,
): number {
  const served: S[] = [];
  for (const stream of streams) {
    if (served.length >= limit) break;
    if (stream.heartbeat?.(now)) served.push(stream);
  }
  for (const stream of served) {
    streams.delete(stream);
    streams.add(stream);
  }
  return served.length;
}

/**
 * The cap for one tick: enough that every stream can get its comment once a period (with room to catch
 * up), and never below HEARTBEATS_PER_TICK.
 */
export function heartbeatsPerTick(streams: number, tickMs: number, periodMs: number): number {
  return Math.max(HEARTBEATS_PER_TICK, Math.ceil((2 * streams * tickMs) / periodMs));
}
