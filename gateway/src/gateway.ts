import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerOptionsWithGateway, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { GraphQLSchema } from 'graphql';
import {
  badRequestHandler,
  closeServer,
  CORRELATION_HEADER,
  createHttpApp,
  createLogger,
  distrustTraceContext,
  graphqlTracingPlugin,
  listen,
  traceResponse,
  withGraphqlOperation,
  useInputChecks,
  type Logger,
  type RunningServer,
} from '@clinic/platform';
import type { TokenVerifier } from './auth/verify-token';
import type { GatewayContext } from './context';
import { ForwardingDataSource } from './federation/forwarding-data-source';
import { subgraphReadiness } from './health/readiness';
import { costModelFromSupergraph } from './hardening/cost';
import { errorPipeline } from './hardening/error-pipeline';
import { hardenGateway } from './hardening/harden-gateway';
import { DEFAULT_HARDENING, type HardeningOptions } from './hardening/options';
import { operationsIn } from './hardening/use-batch-limit';
import { useCostMeasurement } from './hardening/use-cost-measurement';
import { usePolicyPrecheck } from './hardening/use-policy-precheck';
import { mountConsole, type ConsoleOptions } from './console/console';
import { mountReminderPage } from './reminder-page/reminder-page';
import { countedQueryPlanCache } from './metrics/counted-plan-cache';
import { operationLabel, useOperationMetrics } from './metrics/use-operation-metrics';
import { ResponseCache, type ResponseCacheOptions } from './response-cache/response-cache';
import { useResponseCache, type ResponseCacheHttpOptions } from './response-cache/use-response-cache';
import { EntityCache, ENTITY_CACHED_SUBGRAPHS } from './response-cache/entity-cache';
import { admissionOnce, fastHits, fingerprintOf } from './response-cache/fast-hits';
import type { LiveHub } from './subscriptions/live-hub';
import { mountLive, type LiveOptions } from './subscriptions/mount-live';
import { queryThroughApollo } from './subscriptions/run-query';
import { trustedDocuments, type TrustedDocumentsOptions } from './trusted-documents';
import {
  mountNotificationsPage,
  type NotificationsPageOptions,
} from './notifications-page/notifications-page';
import { mountSnsReplies, type SnsRepliesOptions } from './webhooks/sns-replies';

export interface GatewayOptions {
  port: number;
  /** Interface to listen on (default loopback). */
  host?: string;
  /** Where supergraph.graphql is (default the repository's schema/ folder). */
  schemaDir?: string;
  /** Where each subgraph answers; overrides the routing URLs in the supergraph. */
  subgraphs: Record<string, string>;
  verifyToken: TokenVerifier;
  supergraphSdl?: string;
  logger?: Logger;
  /** Signs each request's identity for the subgraphs, which share it. */
  internalIdentitySecret: string;
  /** Mode and limits; each defaults to DEFAULT_HARDENING (production mode). */
  hardening?: Partial<HardeningOptions>;
  /** Subscriptions over graphql-sse, fed by this bus; without it the gateway serves none. */
  live?: LiveOptions;
  /** The GraphiQL console on /console (default off). */
  console?: ConsoleOptions;
  /** The development notification sink's page on /dev/notifications, for system administrators (default off). */
  notificationsPage?: NotificationsPageOptions;
  /** Where SNS's two-way SMS replies go: POST /webhooks/sns, passed to the patients service (default off). */
  snsReplies?: SnsRepliesOptions;
  /** How long requests in flight get to finish when it stops (default DEFAULT_DRAIN_TIMEOUT_MS). */
  drainTimeoutMs?: number;
  /**
   * Public reads answered from a cache that live events invalidate (docs/response-cache.md); on by default,
   * and only ever trusted while `live` delivers the events.
   */
  responseCache?: ResponseCacheOptions & ResponseCacheHttpOptions & { enabled?: boolean };
  /** Operations served by documentId, and what happens to other text (default DEFAULT_TRUSTED_DOCUMENTS). */
  trustedDocuments?: TrustedDocumentsOptions;
}

/** The repository's schema/ folder; a bundled image passes its own (the launcher's SCHEMA_DIR). */
const REPOSITORY_SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schema');

export function readCommittedSupergraph(dir: string = REPOSITORY_SCHEMA_DIR): string {
  return readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
}

/** A running gateway, with its live hub (null without `live`) for benches and tests to read its counters. */
export interface RunningGateway extends RunningServer {
  live: LiveHub | null;
  /** Null when off, or without live events to invalidate it. */
  responseCache: ResponseCache | null;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger('gateway');
  const hardening = { ...DEFAULT_HARDENING, ...options.hardening };
  const supergraphSdl = options.supergraphSdl ?? readCommittedSupergraph(options.schemaDir);
  // The API schema drops @cost and @listSize; the cost rule reads them from the supergraph it came from.
  let costModel = costModelFromSupergraph(supergraphSdl);
  const defences = hardenGateway(hardening, () => costModel);
  const { internalIdentitySecret } = options;
  if (!internalIdentitySecret)
    throw new Error('The gateway needs the internal identity secret it shares with the subgraphs.');
  // Unless this is set, @apollo/gateway reports the host's uptime, CPUs and memory to Apollo's servers
  // every hour and when it stops: a clinic's system sends nothing anywhere it was not told to.
  process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';
  const { enabled: cacheEnabled = true, ...cacheOptions } = options.responseCache ?? {};
  const responseCache = cacheEnabled && options.live ? new ResponseCache(cacheOptions) : null;
  let apiSchema: GraphQLSchema | null = null;
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new ForwardingDataSource({
        name,
        url: options.subgraphs[name] ?? url,
        internalIdentitySecret,
        timeoutMs: hardening.subgraphTimeoutMs,
        entityCache:
          responseCache && ENTITY_CACHED_SUBGRAPHS.has(name)
            ? new EntityCache(name, responseCache, () => apiSchema)
            : undefined,
      }),
    logger,
    queryPlannerConfig: { cache: countedQueryPlanCache() },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema: served, coreSupergraphSdl }) => {
    apiSchema = served;
    costModel = costModelFromSupergraph(coreSupergraphSdl);
    // Answers of the old schema, and executions begun on it, may not be answers of the new one.
    responseCache?.reset();
  });
  const errors = errorPipeline(hardening.mode, logger);
  const trusted = trustedDocuments(options.trustedDocuments, { logger, ...defences.apollo });
  const apollo: ApolloServer<GatewayContext> = new ApolloServer<GatewayContext>({
    gateway: tracedOperations(gateway),
    logger,
    includeStacktraceInErrorResponses: false,
    // The process owner (npm start, a test, Kubernetes) decides when to stop, in dependency order.
    stopOnTerminationSignals: false,
    // The same pipeline shapes errors sent over SSE (mountLive).
    formatError: errors.format,
    ...defences.apollo,
    ...trusted.apollo,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      graphqlTracingPlugin('parse'),
      logOperations(logger),
      useOperationMetrics(),
      ...defences.plugins,
      useCostMeasurement(logger, () => costModel),
      useInputChecks(),
      usePolicyPrecheck(),
      ...trusted.plugins,
      // Last: a cached answer passes every check a fresh one would.
      ...(responseCache
        ? [
            useResponseCache(responseCache, cacheOptions, (request): Promise<unknown> =>
              apollo.executeOperation(request, {
                contextValue: {
                  identity: null,
                  correlationId: `refresh-${randomUUID()}`,
                  responseCacheRefresh: true,
                },
              }),
            ),
          ]
        : []),
    ],
  });
  await apollo.start();
  let draining = false;
  const subgraphsReady = subgraphReadiness(options.subgraphs);
  const app = createHttpApp({
    service: 'gateway',
    logger,
    draining: () => draining,
    // The schema is loaded (Apollo has started) before the server listens; live updates need their
    // consumers in their groups.
    readiness: async (): Promise<Record<string, string>> =>
      options.live ? { 'event-bus:gateway': await options.live.bus.readiness() } : {},
    // A subgraph that cannot serve makes its operations fail with SERVICE_UNAVAILABLE, not the gateway;
    // a broker that stops answering delays live updates only. Neither takes every gateway out at once.
    dependencies: async () => {
      const [subgraphs, broker] = await Promise.all([subgraphsReady(), options.live?.bus.health()]);
      return { ...subgraphs, ...(broker === undefined ? {} : { 'broker:gateway': broker }) };
    },
    bodyLimitBytes: hardening.bodyLimitBytes,
    // Every client request names the trace it started (the caller's own trace context is ignored).
    beforeBody: [traceResponse, ...(defences.beforeBody ?? [])],
  });
  app.set('trust proxy', hardening.trustProxy);
  // Express would hash every answer for a weak ETag; only the response cache's validators mean anything.
  app.set('etag', false);
  app.use('/graphql', ...defences.middleware, ...trusted.middleware);
  const runQuery = queryThroughApollo(apollo);
  mountConsole(app, {
    mode: options.console?.mode ?? 'off',
    signingKey: options.console?.signingKey,
    runQuery,
    logger,
  });
  const live = await mountLive({
    app,
    gateway,
    runQuery,
    verifyToken: options.verifyToken,
    logger,
    errors,
    // Subscriptions face the same operation limits and per-subject rate as queries.
    validationRules: defences.apollo.validationRules,
    limitSubject: defences.limitSubject,
    checkText: trusted.checkText,
    live: options.live,
    ...(responseCache ? { observer: responseCache } : {}),
  });
  // The token check and the per-subject limit, once per request, whichever of the fast path and Apollo
  // answers it.
  const admission = admissionOnce(async (req) => {
    const identity = await options.verifyToken(req.headers.authorization);
    await defences.limitSubject(identity, operationsIn(req.body));
    return identity;
  });
  app.use(
    '/graphql',
    // Last before Apollo: after the SSE endpoint, the batch limit and documentIds.
    ...(responseCache
      ? [
          fastHits({
            cache: responseCache,
            admission,
            ...(trusted.http ? { trust: trusted.http } : {}),
            logger,
          }),
        ]
      : []),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const identity = await admission(req);
        const fingerprint = fingerprintOf(req);
        return {
          identity,
          correlationId: String(req.headers[CORRELATION_HEADER]),
          ...(fingerprint ? { responseCacheFingerprint: fingerprint } : {}),
        };
      },
    }),
  );
  // The page a reminder email links to (docs/reminders.md): public, like the mutation it calls.
  mountReminderPage(app);
  if (options.notificationsPage)
    mountNotificationsPage(app, {
      ...options.notificationsPage,
      verifyToken: options.verifyToken,
      internalIdentitySecret,
      timeoutMs: hardening.subgraphTimeoutMs,
      logger,
      production: hardening.mode === 'production',
    });
  if (options.snsReplies)
    mountSnsReplies(app, {
      ...options.snsReplies,
      internalIdentitySecret,
      timeoutMs: hardening.subgraphTimeoutMs,
      logger,
    });
  app.use(badRequestHandler(logger));
  const { server, port } = await listen(app, options.port, options.host);
  // The public edge: a caller's traceparent neither forces sampling nor picks our trace ids.
  distrustTraceContext(server);
  logger.info({ port }, 'gateway listening');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    server,
    live: live.hub,
    responseCache,
    beginDrain: () => {
      draining = true;
    },
    // Live streams end first with a clean close (graphql-sse clients reconnect, through the balancer, to
    // another gateway); then the server stops accepting and lets the requests in flight finish.
    stop: async () => {
      draining = true;
      live.stop();
      await closeServer(server, options.drainTimeoutMs);
      await apollo.stop();
    },
  };
}

/**
 * The gateway as Apollo Server sees it, its executor run with the operation described for the spans
 * @apollo/gateway starts (graphql.plan, graphql.execute, ...: see GraphqlSpanNames in @clinic/platform).
 */
function tracedOperations(gateway: ApolloGateway): ApolloServerOptionsWithGateway<GatewayContext>['gateway'] {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    load: async (options) => {
      const loaded = await gateway.load(options);
      return {
        ...loaded,
        executor: (requestContext) =>
          withGraphqlOperation(requestContext, () => loaded.executor(requestContext)),
      };
    },
  };
}

/**
 * One debug line per operation: metrics and traces carry the same at info level and above, and a line per
 * request was the gateway's largest cost after its own work. The operation is named by its root fields,
 * never by the name the caller chose.
 */
function logOperations(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ schema, document, operation, errors }) {
          if (!logger.isLevelEnabled('debug')) return;
          logger.debug(
            {
              operation: document && operation ? operationLabel(schema, document, operation) : null,
              role: contextValue.identity?.role ?? 'anonymous',
              ms: Math.round(performance.now() - started),
              errors: errors?.map((error) => error.extensions['code']) ?? [],
            },
            'operation finished',
          );
        },
      };
    },
  };
}
