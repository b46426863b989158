import type { IncomingMessage, ServerResponse } from 'node:http';
import { appError, type Identity, type Logger } from '@clinic/platform';
import type { Request, Response } from 'express';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { createHandler, type RequestParams } from 'graphql-sse';
import type { TokenVerifier } from '../auth/verify-token';
import type { GatewayQuery, LiveHub } from './live-hub';

export interface SseOptions {
  hub: LiveHub;
  schema: () => GraphQLSchema;
  verifyToken: TokenVerifier;
  /** Queries and mutations sent over SSE run through the gateway like any other. */
  runQuery: GatewayQuery;
  logger: Logger;
  /** The gateway's extra operation limits (depth, cost, aliases), applied at subscribe time too. */
  validationRules?: readonly ValidationRule[];
  limitSubject?: (identity: Identity | null, operations: number) => Promise<void>;
  /** Bytes a stream may have unsent before its client is cut off as too slow. */
  maxBufferedBytes?: number;
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

/**
 * graphql-sse on the /graphql endpoint, in both of its modes: distinct connections (one event stream per
 * operation) and single connection (PUT reserves a stream, GET opens it, POSTs add operations, DELETE
 * stops one). Callers authenticate with the same bearer token as for queries. graphql-sse pings every
 * 12 s, so proxies keep idle streams open. Its Express adapter waits for every write, which lets a slow
 * client's backlog grow unseen in memory; this adapter writes at once and cuts a stream off when its
 * unsent bytes pass a bound.
 */
export function createSseEndpoint(options: SseOptions): SseEndpoint {
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const open = new Set<{ res: ServerResponse; end: () => void }>();
  let closing = false;

  const handler = createHandler<IncomingMessage, SseContext>({
    onSubscribe: async (req, params: RequestParams) => {
      let identity: Identity | null;
      try {
        identity = await options.verifyToken(req.headers.get('authorization') ?? undefined);
      } catch (error) {
        return errorResponse(401, error);
      }
      try {
        await options.limitSubject?.(identity, 1);
      } catch (error) {
        return errorResponse(429, error);
      }
      let document: DocumentNode;
      try {
        document = parse(params.query);
      } catch (error) {
        return errorResponse(400, error);
      }
      const schema = options.schema();
      const invalid = validate(schema, document, [...specifiedRules, ...(options.validationRules ?? [])]);
      if (invalid.length > 0) return { data: null, errors: invalid };
      const operation = getOperationAST(document, params.operationName);
      if (!operation) {
        return errorResponse(
          400,
          appError('GRAPHQL_VALIDATION_FAILED', 'Name the operation to run; the document has no such one.'),
        );
      }
      if (operation.operation !== 'subscription') {
        return options.runQuery(params.query, params.variables ?? {}, identity).then((result) => ({
          data: result.data ?? null,
          ...(result.errors ? { errors: result.errors } : {}),
        }));
      }
      return options.hub.subscribe({
        document,
        operationName: params.operationName,
        variables: params.variables ?? {},
        identity,
      });
    },
  });

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
      options.hub.stop();
      for (const stream of open) stream.end();
    },
    handle: async (req, res) => {
      if (closing) {
        res
          .status(503)
          .set('retry-after', '1')
          .json({ errors: [{ message: 'The gateway is stopping.' }] });
        return;
      }
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

function errorResponse(
  status: number,
  error: unknown,
): [string, { status: number; statusText: string; headers: Record<string, string> }] {
  const graphqlError =
    error instanceof GraphQLError
      ? error
      : appError('BAD_REQUEST', error instanceof Error ? error.message : String(error));
  return [
    JSON.stringify({ errors: [graphqlError.toJSON()] }),
    {
      status,
      statusText: status === 401 ? 'Unauthorized' : status === 429 ? 'Too Many Requests' : 'Bad Request',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    },
  ];
}
