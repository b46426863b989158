import type { Socket } from 'node:net';
import type { Logger } from '@clinic/platform';
import type { Request, Response } from 'express';
import type { RequestParams } from 'graphql-sse';
import type { StreamAdmission } from './admission';
import type { LiveHub, LiveWriter } from './live-hub';
import type { LiveSubscribeRequest } from './live-request';
import type { OpenStream, OpenStreams } from './open-streams';
import {
  COMPLETE,
  nextFrame,
  OPENING,
  refuseWhileStopping,
  slowConsumerMessage,
  SSE_HEADERS,
  STOPPING,
  type LiveFrame,
} from './sse-frames';

export interface DistinctStreamOptions {
  hub: LiveHub;
  admission: StreamAdmission;
  streams: OpenStreams;
  logger: Logger;
  /** Bytes a stream may have unsent before its client is cut off as too slow. */
  maxBufferedBytes: number;
}

/** The body of a distinct-connection POST (graphql-sse's exact accept test), when it is well formed. */
export function distinctSubscriptionParams(req: Request): RequestParams | null {
  if (req.method !== 'POST' || req.headers.accept !== 'text/event-stream') return null;
  if (req.headers['x-graphql-event-stream-token'] !== undefined || req.query['token'] !== undefined)
    return null;
  const body: unknown = req.body;
  if (!body || typeof body !== 'object') return null;
  const { query, operationName, variables } = body as Record<string, unknown>;
  // Anything malformed goes to graphql-sse, which answers it as the protocol says.
  if (typeof query !== 'string') return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    return null;
  return {
    query,
    ...(typeof operationName === 'string' ? { operationName } : {}),
    ...(variables ? { variables: variables as Record<string, unknown> } : {}),
  };
}

/**
 * A distinct-connection POST (one event stream for one operation), served in graphql-sse's framing
 * without graphql-sse: the hub writes each event's bytes once per group of subscribers asking the same
 * thing, and the endpoint's one timer sends every stream's heartbeat.
 */
export async function serveDistinctStream(
  req: Request,
  res: Response,
  params: RequestParams,
  options: DistinctStreamOptions,
): Promise<void> {
  const admission = await options.admission.admit(req.headers.authorization, params, req.ip);
  // The client left while its token was checked: nothing will say so later, so stop here.
  if (res.destroyed || !res.socket || res.socket.destroyed) return;
  if (options.streams.closing) {
    refuseWhileStopping(res);
    return;
  }
  if (admission.kind === 'refused') {
    const [body, init] = admission.response;
    res.writeHead(init.status, init.statusText, init.headers);
    res.end(body);
    return;
  }
  res.writeHead(200, 'OK', SSE_HEADERS);
  // Nagle would hold small events back; live updates should leave at once.
  res.socket?.setNoDelay(true);
  // Some browsers (Firefox, Safari) wait for a first byte before they report the stream open.
  res.write(OPENING);
  if (admission.kind === 'answered') {
    res.end(nextFrame(admission.result) + COMPLETE);
    return;
  }
  attachToHub(res, admission.request, options);
}

/** Hands the open stream to the hub, or ends it with the errors the hub refused it with. */
function attachToHub(res: Response, request: LiveSubscribeRequest, options: DistinctStreamOptions): void {
  const stream = new HubWrittenStream(res, options);
  const attached = options.hub.attach(request, stream);
  if (typeof attached !== 'function') {
    res.end(nextFrame(options.admission.answered(attached.errors ?? [], 'BAD_USER_INPUT')) + COMPLETE);
    return;
  }
  stream.leave = attached;
  options.streams.add(stream);
  res.once('close', () => stream.gone());
}

/**
 * A stream the hub writes to. Each event's frame goes straight onto the socket as one ready-made HTTP
 * chunk shared by every subscriber of a group: through the response, Node would frame every write again
 * (three buffers and a tick each), which at ten thousand subscribers was most of the time an event took
 * to fan out. The response still writes the head, the opening comment and the end, in order on the same
 * socket.
 */
class HubWrittenStream implements OpenStream, LiveWriter {
  /** Takes the stream out of the hub; set once the hub has it. */
  leave: (() => void) | null = null;
  private ended = false;
  private lastWrite = Date.now();
  private readonly socket: Socket | null;
  private readonly chunked: boolean;

  constructor(
    readonly res: Response,
    private readonly options: DistinctStreamOptions,
  ) {
    this.socket = res.socket;
    this.chunked = res.chunkedEncoding;
  }

  write(frame: LiveFrame): void {
    const { socket } = this;
    if (this.ended || !socket) return;
    if (socket.destroyed) return this.finish('');
    socket.write(this.chunked ? frame.httpChunk : frame.bytes);
    this.lastWrite = frame.createdAt;
    if (socket.writableLength > this.options.maxBufferedBytes) {
      this.options.logger.warn({ buffered: socket.writableLength }, 'live stream cut off: client too slow');
      this.options.hub.cutSlowConsumer();
      this.finish(slowConsumerMessage(true));
    }
  }

  /** Only a stream that has been quiet for a whole period needs one; busy streams keep proxies awake. */
  heartbeat(now: number): boolean {
    if (this.ended || now - this.lastWrite < this.options.streams.heartbeatMs) return false;
    if (this.res.socket?.destroyed) {
      this.finish('');
      return false;
    }
    this.lastWrite = now;
    this.res.write(OPENING);
    return true;
  }

  /** The hub is stopping. */
  close(): void {
    this.finish(STOPPING);
  }

  /** The gateway is stopping. */
  end(): void {
    this.finish(STOPPING);
  }

  /** The client went away. */
  gone(): void {
    this.ended = true;
    this.options.streams.delete(this);
    this.leave?.();
  }

  private finish(last: string): void {
    if (this.ended) return;
    this.ended = true;
    this.leave?.();
    this.options.streams.delete(this);
    this.res.end(last);
    // A client that reads nothing would hold its unsent backlog forever.
    setTimeout(() => this.res.destroy(), 10_000).unref();
  }
}
