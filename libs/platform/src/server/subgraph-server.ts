import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import type { IResolvers } from '@graphql-tools/utils';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import { identityFromHeaders, type Identity } from '../identity/identity';
import { CORRELATION_HEADER } from '../logging/request-context';
import { maskError } from './mask-error';
import { badRequestHandler, closeServer, createHttpApp, listen, type ReadinessCheck } from './http-app';

/** What every subgraph resolver receives; services extend it with their loaders. */
export interface RequestContext {
  identity: Identity | null;
  correlationId: string;
  logger: Logger;
}

export interface SubgraphServerOptions<TContext extends RequestContext> {
  name: string;
  typeDefs: DocumentNode;
  /** The service's codegen-typed `Resolvers` maps, one per capability; merged here. Typed where written. */
  resolvers: Record<string, unknown>[];
  createContext(request: RequestContext): TContext;
  readiness: ReadinessCheck;
  logger: Logger;
  port: number;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

export async function startSubgraphServer<TContext extends RequestContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningServer> {
  const { logger } = options;
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({
      typeDefs: options.typeDefs,
      resolvers: mergeResolvers(options.resolvers as IResolvers[]) as GraphQLResolverMap<unknown>,
    }),
    logger,
    includeStacktraceInErrorResponses: false,
    // The process owner (npm start, a test, Kubernetes) decides when to stop, in dependency order.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => maskError(formatted, error, logger),
    plugins: [ApolloServerPluginInlineTraceDisabled(), logOperations(logger)],
  });
  await apollo.start();
  const app = createHttpApp({ logger, readiness: options.readiness });
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        options.createContext({
          identity: identityFromHeaders(req.headers),
          correlationId: String(req.headers[CORRELATION_HEADER]),
          logger,
        }),
    }),
  );
  app.use(badRequestHandler(logger));
  const { server, port } = await listen(app, options.port);
  logger.info({ port }, `${options.name} subgraph listening`);
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    server,
    stop: async () => {
      await closeServer(server);
      await apollo.stop();
    },
  };
}

function logOperations(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
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
