import { randomUUID } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer } from '@apollo/server';
import type { Identity } from '@clinic/contracts';
import type { DevSigningKey, EventBus, Logger } from '@clinic/platform';
import type { Express } from 'express';
import type { ExecutionResult, GraphQLSchema, ValidationRule } from 'graphql';
import type { TokenVerifier } from '../auth/verify-token';
import { mountConsole, type ConsoleMode } from '../console/console';
import type { ErrorPipeline } from '../hardening/error-pipeline';
import type { GatewayContext } from '../context';
import { LiveHub, type GatewayQuery } from './live-hub';
import { createSseEndpoint } from './sse-handler';

export interface LiveOptions {
  bus: EventBus;
  /** Subscribers asking the same thing with the same permissions share one resolution (default on). */
  shareResolutions?: boolean;
  /** Unsent bytes a stream may hold before its client is cut off as too slow (default 1 MiB). */
  maxBufferedBytes?: number;
  /** A stream quiet for this long gets an SSE comment, so proxies keep it open (default 12 s). */
  heartbeatMs?: number;
}

export interface ConsoleOptions {
  mode: ConsoleMode;
  /** Issues the role picker's development tokens; only used in development mode. */
  signingKey?: DevSigningKey;
}

export interface MountedLive {
  hub: LiveHub | null;
  /** Ends every live stream so clients reconnect elsewhere; call before closing the server. */
  stop(): void;
}

/** Subscriptions over graphql-sse on /graphql, and the console on /console. */
export async function mountLive(options: {
  app: Express;
  apollo: ApolloServer<GatewayContext>;
  gateway: ApolloGateway;
  verifyToken: TokenVerifier;
  logger: Logger;
  /** The gateway's error pipeline, so errors over SSE are shaped like those of a POST. */
  errors: ErrorPipeline;
  validationRules?: readonly ValidationRule[];
  limitSubject?: (identity: Identity | null, operations: number) => Promise<void>;
  live?: LiveOptions | undefined;
  console?: ConsoleOptions | undefined;
}): Promise<MountedLive> {
  const { apollo, logger } = options;
  // The gateway has loaded its schema by now (Apollo started); later supergraph updates replace it.
  let apiSchema: GraphQLSchema | undefined = options.gateway.schema;
  options.gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => (apiSchema = schema));
  const schema = () => {
    if (!apiSchema) throw new Error('the gateway has not loaded its schema yet');
    return apiSchema;
  };
  const runQuery: GatewayQuery = async (query, variables, identity, correlationId) => {
    const response = await apollo.executeOperation(
      { query, variables },
      { contextValue: { identity, correlationId: correlationId ?? `live-${randomUUID()}` } },
    );
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used here');
    return response.body.singleResult as ExecutionResult;
  };
  mountConsole(options.app, {
    mode: options.console?.mode ?? 'off',
    signingKey: options.console?.signingKey,
    runQuery,
    logger,
  });
  if (!options.live) return { hub: null, stop: () => undefined };
  const hub = new LiveHub({
    bus: options.live.bus,
    logger,
    runQuery,
    schema,
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
    ...(options.live.maxBufferedBytes === undefined
      ? {}
      : { maxBufferedBytes: options.live.maxBufferedBytes }),
    ...(options.live.heartbeatMs === undefined ? {} : { heartbeatMs: options.live.heartbeatMs }),
  });
  options.app.use('/graphql', (req, res, next) => {
    if (!sse.accepts(req)) return next();
    sse.handle(req, res).catch(next);
  });
  return { hub, stop: () => sse.close() };
}

/**
 * GATEWAY_LIVE_MAX_BUFFERED_BYTES, GATEWAY_LIVE_HEARTBEAT_MS and GATEWAY_LIVE_SHARING (on|off) over the
 * defaults.
 */
export function liveOptionsFromEnv(env: NodeJS.ProcessEnv, bus: EventBus): LiveOptions {
  const buffered = Number(env['GATEWAY_LIVE_MAX_BUFFERED_BYTES']);
  const heartbeat = Number(env['GATEWAY_LIVE_HEARTBEAT_MS']);
  return {
    bus,
    ...(Number.isInteger(buffered) && buffered > 0 ? { maxBufferedBytes: buffered } : {}),
    ...(Number.isInteger(heartbeat) && heartbeat > 0 ? { heartbeatMs: heartbeat } : {}),
    ...(env['GATEWAY_LIVE_SHARING'] === 'off' ? { shareResolutions: false } : {}),
  };
}
