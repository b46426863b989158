import type { Identity } from '@clinic/contracts';
import type { Logger } from '@clinic/platform';
import type { Request, Response } from 'express';
import { specifiedRules, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { TokenVerifier } from '../auth/verify-token';
import { errorPipeline, type ErrorPipeline } from '../hardening/error-pipeline';
import { StreamAdmission, type AdmissionOptions } from './admission';
import { distinctSubscriptionParams, serveDistinctStream } from './distinct-stream';
import { graphqlSseServer } from './graphql-sse-stream';
import type { LiveHub } from './live-hub';
import { OpenStreams } from './open-streams';
import type { GatewayQuery } from './run-query';
import { refuseWhileStopping } from './sse-frames';

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
  /** Trusted documents: why an operation's text may not run for this caller, or null. */
  checkText?: AdmissionOptions['checkText'];
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

/**
 * graphql-sse on the /graphql endpoint, in both of its modes: distinct connections (one event stream per
 * operation) and single connection. Callers authenticate with the same bearer token as for queries
 * (admission.ts). A distinct-connection subscription, the common case, is served by distinct-stream.ts:
 * the library serialises every result once per stream and keeps a generator, a queue and a timer per
 * stream, which at ten thousand subscribers is most of the gateway's time and memory. The rest goes to
 * graphql-sse (graphql-sse-stream.ts). A quiet stream gets a comment every 12 s, so proxies keep it open.
 */
export function createSseEndpoint(options: SseOptions): SseEndpoint {
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const streams = new OpenStreams(options.heartbeatMs ?? 12_000);
  const admission = new StreamAdmission({
    schema: options.schema,
    verifyToken: options.verifyToken,
    runQuery: options.runQuery,
    errors: options.errors ?? errorPipeline('production', options.logger),
    validationRules: [...specifiedRules, ...(options.validationRules ?? [])],
    limitSubject: options.limitSubject,
    checkText: options.checkText,
  });
  const served = { hub: options.hub, admission, streams, logger: options.logger, maxBufferedBytes };
  const throughLibrary = graphqlSseServer(served);
  return {
    accepts: (req) =>
      (req.headers.accept ?? '').includes('text/event-stream') ||
      req.method === 'PUT' ||
      req.method === 'DELETE' ||
      req.headers['x-graphql-event-stream-token'] !== undefined ||
      (req.method === 'GET' && typeof req.query['token'] === 'string'),
    openStreams: () => streams.size,
    close: () => {
      streams.stopAccepting();
      options.hub.stop();
      streams.endAll();
    },
    handle: async (req, res) => {
      if (streams.closing) {
        refuseWhileStopping(res);
        return;
      }
      const params = distinctSubscriptionParams(req);
      if (params) return serveDistinctStream(req, res, params, served);
      return throughLibrary(req, res);
    },
  };
}
