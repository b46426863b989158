import type { ApolloGateway } from '@apollo/gateway';
import type { Identity } from '@clinic/contracts';
import type { EventBus, Logger } from '@clinic/platform';
import type { Express } from 'express';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { TokenVerifier } from '../auth/verify-token';
import type { ErrorPipeline } from '../hardening/error-pipeline';
import { LiveHub, type StreamObserver } from './live-hub';
import type { GatewayQuery } from './run-query';
import { createSseEndpoint, type SseOptions } from './sse-handler';

export interface LiveOptions {
  bus: EventBus;
  /** Subscribers asking the same thing with the same permissions share one resolution (default on). */
  shareResolutions?: boolean;
  /** Unsent bytes a stream may hold before its client is cut off as too slow (default 1 MiB). */
  maxBufferedBytes?: number;
  /** A stream quiet for this long gets an SSE comment, so proxies keep it open (default 12 s). */
  heartbeatMs?: number;
}

export interface MountedLive {
  hub: LiveHub | null;
  /** Ends every live stream so clients reconnect elsewhere; call before closing the server. */
  stop(): void;
}

/** Subscriptions over graphql-sse on /graphql, fed by the live hub; nothing without `live`. */
export async function mountLive(options: {
  app: Express;
  gateway: ApolloGateway;
  /** Queries through the gateway: live updates are resolved with it, and queries sent over SSE run on it. */
  runQuery: GatewayQuery;
  verifyToken: TokenVerifier;
  logger: Logger;
  /** The gateway's error pipeline, so errors over SSE are shaped like those of a POST. */
  errors: ErrorPipeline;
  validationRules?: readonly ValidationRule[];
  limitSubject?: (identity: Identity | null, operations: number) => Promise<void>;
  /** Trusted documents: why an operation's text may not run for this caller, or null. */
  checkText?: SseOptions['checkText'];
  live?: LiveOptions | undefined;
  /** Sees every live event before it is fanned out (the response cache). */
  observer?: StreamObserver;
}): Promise<MountedLive> {
  if (!options.live) return { hub: null, stop: () => undefined };
  const { logger, runQuery } = options;
  const schema = currentApiSchema(options.gateway);
  const hub = new LiveHub({
    bus: options.live.bus,
    logger,
    runQuery,
    schema,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.live.shareResolutions === undefined
      ? {}
      : { shareResolutions: options.live.shareResolutions }),
  });
  await hub.start();
  const sse = createSseEndpoint({
    hub,
    schema,
    verifyToken: options.verifyToken,
    runQuery,
    logger,
    errors: options.errors,
    validationRules: options.validationRules ?? [],
    ...(options.limitSubject ? { limitSubject: options.limitSubject } : {}),
    ...(options.checkText ? { checkText: options.checkText } : {}),
    ...(options.live.maxBufferedBytes === undefined
      ? {}
      : { maxBufferedBytes: options.live.maxBufferedBytes }),
    ...(options.live.heartbeatMs === undefined ? {} : { heartbeatMs: options.live.heartbeatMs }),
  });
  options.app.use('/graphql', (req, res, next) => {
    if (!sse.accepts(req)) return next();
    // Streams last minutes to hours: their own route label keeps them out of /graphql's latencies.
    res.locals['httpRoute'] = '/graphql/stream';
    sse.handle(req, res).catch(next);
  });
  return {
    hub,
    stop: () => {
      sse.close();
    },
  };
}

/** The gateway's API schema as it is now: loaded by the time Apollo has started, replaced on updates. */
function currentApiSchema(gateway: ApolloGateway): () => GraphQLSchema {
  let apiSchema: GraphQLSchema | undefined = gateway.schema;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => (apiSchema = schema));
  return () => {
    if (!apiSchema) throw new Error('the gateway has not loaded its schema yet');
    return apiSchema;
  };
}
