import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { graphqlTracingPlugin } from '../telemetry/graphql-spans';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Express, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Identity, SubgraphName } from '@clinic/contracts';
import type { EventBus } from '../events/event-bus';
import {
  generateInternalIdentitySecret,
  INTERNAL_IDENTITY_HEADER,
  InternalIdentityError,
  verifyInternalIdentity,
} from '../identity/internal-identity';
import { CORRELATION_HEADER } from '../logging/request-context';
import { useInputChecks, withStrictScalars } from './input-checks';
import { maskError } from './mask-error';
import { applyPolicy } from './use-policy';
import { applyRequestBudget, SUBGRAPH_REQUEST_LIMITS } from './request-budget';
import { loadSubgraphSchema } from './subgraph-schema';
import { badRequestHandler, closeServer, createHttpApp, listen, type ReadinessCheck } from './http-app';

/** What every subgraph resolver receives; services extend it with their loaders. */
export interface RequestContext {
  identity: Identity | null;
  correlationId: string;
  logger: Logger;
}

/** What the launcher gives every subgraph service; each service adds its own settings. */
export interface ServiceOptions {
  databaseUrl: string;
  port: number;
  /** Interface to listen on (default loopback). */
  host?: string;
  /** Where schema/<name>.graphql is (default the repository's schema/ folder). */
  schemaDir?: string;
  /** Shared with the gateway, which signs each request's identity with it; without it every request is refused. */
  internalIdentitySecret?: string;
  bus: EventBus;
  logger?: Logger;
  /** Called with every SQL statement; tests count queries with it. */
  onQuery?: (sql: string) => void;
  /** How long requests in flight get to finish when it stops (default DEFAULT_DRAIN_TIMEOUT_MS). */
  drainTimeoutMs?: number;
}

export interface SubgraphServerOptions<TContext extends RequestContext> {
  name: SubgraphName;
  /** Where and how it listens, its schema folder and its bus (whose readiness and health /readyz reports). */
  service: ServiceOptions;
  /** The service's codegen-typed `Resolvers` maps, one per capability; merged here. Typed where written. */
  resolvers: Record<string, unknown>[];
  createContext(request: RequestContext): TContext;
  /** The service's own checks (its databases); the bus's consumers are added, its broker is a dependency. */
  readiness: ReadinessCheck;
  logger: Logger;
  /** What the service started beside the server, stopped after it in this order (the database last). */
  stopAfter?: (() => unknown)[];
  /**
   * Extra HTTP routes beside /graphql (e.g. a development page). Like /graphql they are reached only with
   * the gateway's signed identity, in `response.locals.identity`; each decides which roles it answers.
   */
  routes?: (app: Express) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /**
   * The owner is about to stop it (SIGTERM): /readyz answers 503 from now on and responses close their
   * connections, while requests are still served until `stop`.
   */
  beginDrain(): void;
  /**
   * Stops accepting, finishes the requests in flight (within the drain timeout), then stops what runs
   * beside the server: its Kafka consumers first (they commit what they handled and leave their groups,
   * while the database is still there for the event in hand), then the rest in order.
   */
  stop(): Promise<void>;
}

export async function startSubgraphServer<TContext extends RequestContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningServer> {
  const { logger, service } = options;
  const typeDefs = loadSubgraphSchema(options.name, service.schemaDir);
  const apollo = new ApolloServer<TContext>({
    // The policy table is enforced on every field it names before the service's resolvers run, and
    // each request's entities and list items are bounded (request-budget.ts).
    schema: applyRequestBudget(
      applyPolicy(
        buildSubgraphSchema({
          typeDefs,
          // DateTime and LocalDate refuse impossible values as the caller's mistake, as the gateway does.
          resolvers: withStrictScalars(
            typeDefs,
            mergeResolvers(options.resolvers as IResolvers[]),
          ) as GraphQLResolverMap<unknown>,
        }),
      ),
    ),
    logger,
    includeStacktraceInErrorResponses: false,
    // The process owner (npm start, a test, Kubernetes) decides when to stop, in dependency order.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => maskError(formatted, error, logger),
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // No field has a cache hint, so every answer was `no-store`; Apollo's cache-control plugin still
      // wrapped every field's resolver to work that out (profiled). The header itself stays.
      ApolloServerPluginCacheControlDisabled(),
      uncacheable(),
      graphqlTracingPlugin('all'),
      logOperations(logger),
      useInputChecks(),
    ],
  });
  await apollo.start();
  let draining = false;
  // Large enough for the biggest entity fetch a request's budget allows, so the gateway never meets a 413.
  const app = createHttpApp({
    service: options.name,
    logger,
    draining: () => draining,
    // Its consumers having joined their groups is readiness; the broker answering is a dependency, so a
    // broker blip does not take every replica out of its Service at once (queries need no broker).
    readiness: async () => ({
      ...(await options.readiness()),
      [`event-bus:${options.name}`]: await service.bus.readiness(),
    }),
    dependencies: async () => ({ [`broker:${options.name}`]: await service.bus.health() }),
    bodyLimitBytes: SUBGRAPH_REQUEST_LIMITS.bodyLimitBytes,
  });
  // No ETag: express hashed every answer for one, and the gateway's POSTs never revalidate (profiled).
  app.set('etag', false);
  // Everything but the health checks (answered above) needs the identity the gateway signed.
  app.use(requireInternalIdentity(service, logger));
  options.routes?.(app);
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        options.createContext({
          identity: (res.locals as { identity: Identity | null }).identity,
          correlationId: String(req.headers[CORRELATION_HEADER]),
          logger,
        }),
    }),
  );
  app.use(badRequestHandler(logger));
  const { server, port } = await listen(app, service.port, service.host);
  logger.info({ port }, `${options.name} subgraph listening`);
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    server,
    beginDrain: () => {
      draining = true;
    },
    stop: async () => {
      draining = true;
      await closeServer(server, service.drainTimeoutMs);
      await apollo.stop();
      await service.bus.stopConsuming();
      // Each in turn even when one fails, so the database is always let go last.
      for (const stop of options.stopAfter ?? [])
        await Promise.resolve()
          .then(stop)
          .catch((error: unknown) => logger.warn({ err: error }, `${options.name}: a part failed to stop`));
    },
  };
}

/**
 * Only the gateway may call /graphql or any other route: without a valid signed identity for this request
 * the answer is a bare 401, so a direct caller learns nothing (not even the schema). /healthz and /readyz
 * stay open.
 */
function requireInternalIdentity(
  options: { internalIdentitySecret?: string | undefined },
  logger: Logger,
): RequestHandler {
  const configured = options.internalIdentitySecret;
  if (!configured)
    logger.warn('no internal identity secret: this subgraph will refuse every GraphQL request');
  // Without a configured secret nobody can sign for us: fail closed with a secret no one knows.
  const secret = configured ?? generateInternalIdentitySecret();
  return (request, response, next) => {
    verifyInternalIdentity(
      secret,
      request.headers[INTERNAL_IDENTITY_HEADER],
      String(request.headers[CORRELATION_HEADER]),
    ).then(
      (identity) => {
        response.locals['identity'] = identity;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof InternalIdentityError)) return next(error);
        logger.warn({ reason: error.message }, 'request without a valid internal identity refused');
        response.status(401).end();
      },
    );
  };
}

/** `cache-control: no-store` on every answer, as Apollo's cache-control plugin gave one without hints. */
function uncacheable(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}

function logOperations(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      // No hook at all at info and above, the level every deployment runs at (checked per request, so a
      // level raised at runtime takes effect).
      if (!logger.isLevelEnabled('debug')) return {};
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors }) {
          logger.debug(
            { operationName, ms: Math.round(performance.now() - started), errors: errors?.length ?? 0 },
            'operation finished',
          );
        },
      };
    },
  };
}
