import type { ServerResponse } from 'node:http';
import { heartbeatsPerTick, sendDueHeartbeats, type HeartbeatStream } from './heartbeats';

/** An event stream the endpoint has open. */
export interface OpenStream extends HeartbeatStream {
  res: ServerResponse;
  /** Ends it because the gateway is stopping: the client reconnects elsewhere. */
  end(): void;
}

/**
 * The endpoint's open streams: their heartbeats, and ending them when the gateway stops. Checked every
 * second (or period, if shorter): a stream gets its comment once it has been quiet for a whole period, so
 * the comments go out as streams fall quiet rather than to every stream at once.
 */
export class OpenStreams {
  private readonly streams = new Set<OpenStream>();
  private readonly timer: NodeJS.Timeout;
  /** Set once the gateway is stopping: no new stream opens. */
  closing = false;

  constructor(readonly heartbeatMs: number) {
    const tickMs = Math.min(1000, heartbeatMs);
    this.timer = setInterval(
      () =>
        sendDueHeartbeats(
          this.streams,
          Date.now(),
          heartbeatsPerTick(this.streams.size, tickMs, heartbeatMs),
        ),
      tickMs,
    ).unref();
  }

  add(stream: OpenStream): void {
    this.streams.add(stream);
  }

  delete(stream: OpenStream): void {
    this.streams.delete(stream);
  }

  get size(): number {
    return this.streams.size;
  }

  /** Refuses new streams from now on, and sends no more heartbeats. */
  stopAccepting(): void {
    this.closing = true;
    clearInterval(this.timer);
  }

  /** Ends every stream still open. */
  endAll(): void {
    for (const stream of this.streams) stream.end();
  }
}
