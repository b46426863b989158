import type { IncomingMessage, ServerResponse } from 'node:http';
import { appError, type ErrorCode, type Identity } from '@clinic/contracts';
import { checkOperationInput, type Logger } from '@clinic/platform';
import type { Request, Response } from 'express';
import {
  GraphQLError,
  getOperationAST,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { createHandler, type RequestParams } from 'graphql-sse';
import { LRUCache } from 'lru-cache';
import type { TokenVerifier } from '../auth/verify-token';
import { errorPipeline, type ErrorPipeline } from '../hardening/error-pipeline';
import { OPERATION_LIMITS, parseOperation } from '../hardening/use-armor';
import { heartbeatsPerTick, sendDueHeartbeats, type HeartbeatStream } from './heartbeats';
import { nextFrame, type GatewayQuery, type LiveHub, type LiveSubscribeRequest } from './live-hub';

export interface SseOptions {
  hub: LiveHub;
  schema: () => GraphQLSchema;
  verifyToken: TokenVerifier;
  /** Queries and mutations sent over SSE run through the gateway like any other. */
  runQuery: GatewayQuery;
  logger: Logger;
  /** How errors are shaped (the gateway's, as for a POST); default production's. */
  errors?: ErrorPipeline;
  /** The gateway's extra operation limits (depth, cost, aliases), applied at subscribe time too. */
  validationRules?: readonly ValidationRule[];
  limitSubject?: (identity: Identity | null, operations: number) => Promise<void>;
  /** Bytes a stream may have unsent before its client is cut off as too slow. */
  maxBufferedBytes?: number;
  /** A distinct-connection stream quiet for this long gets an SSE comment (default 12 s, as graphql-sse). */
  heartbeatMs?: number;
}

export interface SseEndpoint {
  /** Whether a request to /graphql belongs to the graphql-sse protocol rather than plain POST. */
  accepts(req: Request): boolean;
  handle(req: Request, res: Response): Promise<void>;
  /** Ends every open stream (clients reconnect elsewhere) and refuses new ones. */
  close(): void;
  openStreams(): number;
}

type SseContext = { res: ServerResponse };

/** A document as parsed, with what validation found in it against one schema. */
interface CheckedDocument {
  document: DocumentNode;
  errors: readonly GraphQLError[];
}

type ResponseTuple = [string, { status: number; statusText: string; headers: Record<string, string> }];

/** What an operation sent over SSE comes to, before any stream is opened. */
type Admission =
  | { kind: 'refused'; response: ResponseTuple }
  | { kind: 'answered'; result: ExecutionResult }
  | { kind: 'subscription'; request: LiveSubscribeRequest };

const SSE_HEADERS = {
  connection: 'keep-alive',
  'cache-control': 'no-cache',
  'content-encoding': 'none',
  'content-type': 'text/event-stream; charset=utf-8',
};
const OPENING = ':\n\n';
const COMPLETE = 'event: complete\ndata:\n\n';
const STOPPING = ': the gateway is stopping; reconnect\n\n';

/**
 * graphql-sse on the /graphql endpoint, in both of its modes: distinct connections (one event stream per
 * operation) and single connection (PUT reserves a stream, GET opens it, POSTs add operations, DELETE
 * stops one). Callers authenticate with the same bearer token as for queries. A quiet stream gets a
 * comment every 12 s, so proxies keep it open. Its Express adapter waits for every write, which
 * lets a slow client's backlog grow unseen in memory; this adapter writes at once and cuts a stream off
 * when its unsent bytes pass a bound.
 *
 * A distinct-connection subscription (a POST asking for text/event-stream, the common case) is served
 * here, in graphql-sse's framing, rather than by graphql-sse: the library serialises every result once
 * per stream and keeps a generator, a queue and a timer per stream, which at ten thousand subscribers is
 * most of the gateway's time and memory. Here the hub writes each event's bytes once per group of
 * subscribers asking the same thing, and one timer sends every stream's heartbeat.
 */
export function createSseEndpoint(options: SseOptions): SseEndpoint {
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const heartbeatMs = options.heartbeatMs ?? 12_000;
  const validationRules = [...specifiedRules, ...(options.validationRules ?? [])];
  const pipeline = options.errors ?? errorPipeline('production', options.logger);
  // Errors made here or by the hub have not been through Apollo: they get its codes and its formatting.
  const refused = (status: number, error: unknown, fallback: ErrorCode): Admission => ({
    kind: 'refused',
    response: errorResponse(status, pipeline.formatRaw(error, fallback)),
  });
  const answered = (errors: readonly unknown[], fallback: ErrorCode): ExecutionResult =>
    formattedResult(errors.map((error) => pipeline.formatRaw(error, fallback)));
  const open = new Set<HeartbeatStream & { res: ServerResponse; end: () => void }>();
  let closing = false;
  // Clients reconnecting together (a deploy, a balancer failover) send a few distinct documents many
  // times over: each is parsed and validated once per schema, and its subscribers share the result.
  // Parsing and validating per stream took ~0.45 ms of the event loop each, so 10,000 streams
  // reconnecting held it for 4-5 s. Bounded by count and by text size (the parsed form is larger still,
  // a few MB at most), so odd documents cannot grow it.
  const checkedDocuments = new WeakMap<GraphQLSchema, LRUCache<string, CheckedDocument>>();
  const check = (schema: GraphQLSchema, query: string): CheckedDocument => {
    let cache = checkedDocuments.get(schema);
    if (!cache) {
      cache = new LRUCache({ max: 200, maxSize: 256 * 1024, sizeCalculation: (_, text) => text.length || 1 });
      checkedDocuments.set(schema, cache);
    }
    let checked = cache.get(query);
    if (!checked) {
      // A document that does not parse throws here and is not kept: there is nothing to share.
      const document = parseOperation(query);
      const errors = validate(schema, document, validationRules, { maxErrors: OPERATION_LIMITS.errors });
      checked = { document, errors };
      cache.set(query, checked);
    }
    return checked;
  };

  /** `address` is the client's (Express's req.ip, so behind GATEWAY_TRUST_PROXY the original client's). */
  const admit = async (
    authorization: string | undefined,
    params: RequestParams,
    address: string | undefined,
  ): Promise<Admission> => {
    let identity: Identity | null;
    try {
      identity = await options.verifyToken(authorization);
    } catch (error) {
      return refused(401, error, 'UNAUTHENTICATED');
    }
    try {
      await options.limitSubject?.(identity, 1);
    } catch (error) {
      return refused(429, error, 'RATE_LIMITED');
    }
    let checked: CheckedDocument;
    try {
      checked = check(options.schema(), params.query);
    } catch (error) {
      // Not a GraphQLError: the schema is not loaded yet, our failure.
      return refused(error instanceof GraphQLError ? 400 : 500, error, 'GRAPHQL_PARSE_FAILED');
    }
    const { document, errors } = checked;
    if (errors.length > 0) return { kind: 'answered', result: answered(errors, 'GRAPHQL_VALIDATION_FAILED') };
    const operation = getOperationAST(document, params.operationName);
    if (!operation) {
      return refused(
        400,
        appError('GRAPHQL_VALIDATION_FAILED', 'Name the operation to run; the document has no such one.'),
        'GRAPHQL_VALIDATION_FAILED',
      );
    }
    // A GET (or a form POST) needs no preflight, so a mutation here would dodge the CSRF checks of POST.
    if (operation.operation === 'mutation') {
      return refused(
        400,
        appError('BAD_REQUEST', 'Send mutations as a POST to /graphql, not over an event stream.'),
        'BAD_REQUEST',
      );
    }
    const badInput = checkOperationInput(options.schema(), document, params.variables ?? {});
    if (badInput) return { kind: 'answered', result: answered([badInput], 'BAD_USER_INPUT') };
    if (operation.operation !== 'subscription') {
      // Run through Apollo, whose formatError is this same pipeline.
      const result = await options.runQuery(params.query, params.variables ?? {}, identity);
      return {
        kind: 'answered',
        result: { data: result.data ?? null, ...(result.errors ? { errors: result.errors } : {}) },
      };
    }
    return {
      kind: 'subscription',
      request: {
        document,
        operationName: params.operationName,
        variables: params.variables ?? {},
        identity,
        address,
      },
    };
  };

  const handler = createHandler<IncomingMessage, SseContext>({
    onSubscribe: async (req, params: RequestParams) => {
      // graphql-sse hands over the request Express received, so req.ip is there.
      const admission = await admit(
        req.headers.get('authorization') ?? undefined,
        params,
        (req.raw as IncomingMessage & { ip?: string }).ip,
      );
      if (admission.kind === 'refused') return admission.response;
      if (admission.kind === 'answered') return admission.result;
      const subscribed = options.hub.subscribe(admission.request);
      return Symbol.asyncIterator in subscribed
        ? subscribed
        : answered(subscribed.errors ?? [], 'BAD_USER_INPUT');
    },
  });

  /** A distinct-connection POST, served without graphql-sse (see above). */
  const streamDistinct = async (req: Request, res: Response, params: RequestParams) => {
    const admission = await admit(req.headers.authorization, params, req.ip);
    // The client left while its token was checked: nothing will say so later, so stop here.
    if (res.destroyed || !res.socket || res.socket.destroyed) return;
    if (closing) {
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
    let ended = false;
    let leave: (() => void) | null = null;
    const end = (last: string) => {
      if (ended) return;
      ended = true;
      leave?.();
      open.delete(stream);
      res.end(last);
      // A client that reads nothing would hold its unsent backlog forever.
      setTimeout(() => res.destroy(), 10_000).unref();
    };
    let lastWrite = Date.now();
    const stream = {
      res,
      end: () => end(STOPPING),
      // Only a stream that has been quiet for a whole period needs one; busy streams keep proxies awake.
      heartbeat: (now: number) => {
        if (ended || now - lastWrite < heartbeatMs) return false;
        if (res.socket?.destroyed) {
          end('');
          return false;
        }
        lastWrite = now;
        res.write(OPENING);
        return true;
      },
    };
    // Each event's frame goes straight onto the socket as one ready-made HTTP chunk shared by every
    // subscriber of a group: through the response, Node would frame every write again (three buffers and
    // a tick each), which at ten thousand subscribers was most of the time an event took to fan out.
    // The response still writes the head, the opening comment and the end, in order on the same socket.
    const socket = res.socket;
    const chunked = res.chunkedEncoding;
    const attached = options.hub.attach(admission.request, {
      write: (frame) => {
        if (ended || !socket) return;
        if (socket.destroyed) return end('');
        socket.write(chunked ? frame.httpChunk : frame.bytes);
        lastWrite = frame.createdAt;
        if (socket.writableLength > maxBuffered) {
          options.logger.warn({ buffered: socket.writableLength }, 'live stream cut off: client too slow');
          options.hub.stats.slowConsumersCut++;
          end(slowConsumerMessage(true));
        }
      },
      close: () => end(STOPPING),
    });
    if (typeof attached !== 'function') {
      res.end(nextFrame(answered(attached.errors ?? [], 'BAD_USER_INPUT')) + COMPLETE);
      return;
    }
    leave = attached;
    open.add(stream);
    res.once('close', () => {
      ended = true;
      open.delete(stream);
      attached();
    });
  };

  // Checked every second (or period, if shorter): a stream gets its comment once it has been quiet for a
  // whole period, so the comments go out as streams fall quiet rather than to every stream at once.
  const tickMs = Math.min(1000, heartbeatMs);
  const heartbeat = setInterval(
    () => sendDueHeartbeats(open, Date.now(), heartbeatsPerTick(open.size, tickMs, heartbeatMs)),
    tickMs,
  ).unref();

  return {
    accepts: (req) =>
      (req.headers.accept ?? '').includes('text/event-stream') ||
      req.method === 'PUT' ||
      req.method === 'DELETE' ||
      req.headers['x-graphql-event-stream-token'] !== undefined ||
      (req.method === 'GET' && typeof req.query['token'] === 'string'),
    openStreams: () => open.size,
    close: () => {
      closing = true;
      clearInterval(heartbeat);
      options.hub.stop();
      for (const stream of open) stream.end();
    },
    handle: async (req, res) => {
      if (closing) {
        refuseWhileStopping(res);
        return;
      }
      const params = distinctSubscriptionParams(req);
      if (params) return streamDistinct(req, res, params);
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
      const stream = { res, end: () => end(': the gateway is stopping; reconnect\n\n') };
      open.add(stream);
      res.once('close', () => {
        open.delete(stream);
        ended = true;
        void body.return?.(undefined);
      });
      try {
        for await (const chunk of body) {
          if (ended || !res.writable) break;
          res.write(chunk);
          if (res.writableLength > maxBuffered) {
            options.logger.warn({ buffered: res.writableLength }, 'live stream cut off: client too slow');
            options.hub.stats.slowConsumersCut++;
            end(slowConsumerMessage(distinct));
            break;
          }
        }
      } finally {
        open.delete(stream);
        if (!ended) {
          ended = true;
          res.end();
        }
      }
    },
  };
}

/** New streams while the gateway stops: 503, so the client retries (through the balancer, elsewhere). */
function refuseWhileStopping(res: Response): void {
  res
    .status(503)
    .set('retry-after', '1')
    .json({ errors: [{ message: 'The gateway is stopping.' }] });
}

/** The body of a distinct-connection POST (graphql-sse's exact accept test), when it is well formed. */
function distinctSubscriptionParams(req: Request): RequestParams | null {
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

function slowConsumerMessage(distinct: boolean): string {
  const error = appError(
    'SLOW_CONSUMER',
    'This stream fell too far behind and was closed. Refetch, then resubscribe.',
  );
  const payload = JSON.stringify({ data: null, errors: [error.toJSON()] });
  // In single-connection mode events carry operation ids this adapter does not track; a comment says why.
  return distinct
    ? `event: next\ndata: ${payload}\n\nevent: complete\ndata: \n\n`
    : `: closed: SLOW_CONSUMER: this stream fell too far behind\n\n`;
}

/** A result carrying errors already formatted; only its serialised form is ever sent. */
function formattedResult(errors: GraphQLFormattedError[]): ExecutionResult {
  // ExecutionResult types its errors as GraphQLError, whose JSON form is exactly a formatted error.
  return { data: null, errors: errors as unknown as ExecutionResult['errors'] };
}

function errorResponse(status: number, error: GraphQLFormattedError): ResponseTuple {
  return [
    JSON.stringify({ errors: [error] }),
    {
      status,
      statusText:
        status === 401
          ? 'Unauthorized'
          : status === 429
            ? 'Too Many Requests'
            : status === 500
              ? 'Internal Server Error'
              : 'Bad Request',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    },
  ];
}
