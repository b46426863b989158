import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@clinic/platform';
import type { Request, Response } from 'express';
import { createHandler, type RequestParams } from 'graphql-sse';
import type { StreamAdmission } from './admission';
import type { LiveHub } from './live-hub';
import type { OpenStreams } from './open-streams';
import { slowConsumerMessage, STOPPING } from './sse-frames';

export interface GraphqlSseOptions {
  hub: LiveHub;
  admission: StreamAdmission;
  streams: OpenStreams;
  logger: Logger;
  /** Bytes a stream may have unsent before its client is cut off as too slow. */
  maxBufferedBytes: number;
}

type SseContext = { res: ServerResponse };
type LibraryHandler = ReturnType<typeof createHandler<IncomingMessage, SseContext>>;
type LibraryBody = Exclude<Awaited<ReturnType<LibraryHandler>>[0], string | null>;

/**
 * The rest of graphql-sse on /graphql, served by the library: single-connection mode (PUT reserves a
 * stream, GET opens it, POSTs add operations, DELETE stops one) and whatever is malformed. Its Express
 * adapter waits for every write, which lets a slow client's backlog grow unseen in memory; this one
 * writes at once and cuts a stream off when its unsent bytes pass a bound.
 */
export function graphqlSseServer(options: GraphqlSseOptions): (req: Request, res: Response) => Promise<void> {
  const handler = createHandler<IncomingMessage, SseContext>({
    onSubscribe: async (req, params: RequestParams) => {
      // graphql-sse hands over the request Express received, so req.ip is there.
      const admission = await options.admission.admit(
        req.headers.get('authorization') ?? undefined,
        params,
        (req.raw as IncomingMessage & { ip?: string }).ip,
      );
      if (admission.kind === 'refused') return admission.response;
      if (admission.kind === 'answered') return admission.result;
      const subscribed = options.hub.subscribe(admission.request);
      return Symbol.asyncIterator in subscribed
        ? subscribed
        : options.admission.answered(subscribed.errors ?? [], 'BAD_USER_INPUT');
    },
  });
  return async (req, res) => {
    const [body, init] = await handler({
      method: req.method,
      url: req.originalUrl,
      headers: {
        get: (name: string) => {
          const value = req.headers[name];
          return Array.isArray(value) ? value.join('\n') : value;
        },
      },
      // express.json has already read a JSON body; anything else is read here.
      body: () =>
        Promise.resolve(
          req.body && typeof req.body === 'object' && Object.keys(req.body).length > 0 ? req.body : '',
        ),
      raw: req,
      context: { res },
    });
    res.writeHead(init.status, init.statusText, init.headers);
    if (!body || typeof body === 'string') {
      res.end(body ?? undefined);
      return;
    }
    await pipeStream(req, res, body, options);
  };
}

/** Writes the library's stream to the response until either ends, or the client falls too far behind. */
async function pipeStream(req: Request, res: Response, body: LibraryBody, options: GraphqlSseOptions) {
  // Nagle would hold small events back; live updates should leave at once.
  res.socket?.setNoDelay(true);
  const distinct = !req.headers['x-graphql-event-stream-token'] && typeof req.query['token'] !== 'string';
  let ended = false;
  const end = (last?: string) => {
    if (ended) return;
    ended = true;
    void body.return?.(undefined);
    res.end(last);
    // A client that reads nothing would hold its unsent backlog forever.
    setTimeout(() => res.destroy(), 10_000).unref();
  };
  const stream = { res, end: () => end(STOPPING) };
  options.streams.add(stream);
  res.once('close', () => {
    options.streams.delete(stream);
    ended = true;
    void body.return?.(undefined);
  });
  try {
    for await (const chunk of body) {
      if (ended || !res.writable) break;
      res.write(chunk);
      if (res.writableLength > options.maxBufferedBytes) {
        options.logger.warn({ buffered: res.writableLength }, 'live stream cut off: client too slow');
        options.hub.cutSlowConsumer();
        end(slowConsumerMessage(distinct));
        break;
      }
    }
  } finally {
    options.streams.delete(stream);
    if (!ended) {
      ended = true;
      res.end();
    }
  }
}
