import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  badRequestHandler,
  closeServer,
  CORRELATION_HEADER,
  createHttpApp,
  createLogger,
  listen,
  maskError,
  type Logger,
  type RunningServer,
} from '@clinic/platform';
import type { TokenVerifier } from './auth/verify-token';
import type { GatewayContext } from './context';
import { ForwardingDataSource } from './federation/forwarding-data-source';
import { subgraphReadiness } from './health/readiness';

export interface GatewayOptions {
  port: number;
  /** Where each subgraph answers; overrides the routing URLs in the supergraph. */
  subgraphs: Record<string, string>;
  verifyToken: TokenVerifier;
  supergraphSdl?: string;
  logger?: Logger;
}

export function readCommittedSupergraph(): string {
  const dir = process.env['SCHEMA_DIR'] ?? path.resolve(__dirname, '..', '..', 'schema');
  return readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
}

export async function startGateway(options: GatewayOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('gateway');
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readCommittedSupergraph(),
    buildService: ({ name, url }) => new ForwardingDataSource({ url: options.subgraphs[name] ?? url }),
    logger,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger,
    includeStacktraceInErrorResponses: false,
    // The process owner (npm start, a test, Kubernetes) decides when to stop, in dependency order.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => maskError(formatted, error, logger),
    plugins: [ApolloServerPluginLandingPageDisabled(), logOperations(logger)],
  });
  await apollo.start();
  const app = createHttpApp({ logger, readiness: subgraphReadiness(options.subgraphs) });
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        identity: await options.verifyToken(req.headers.authorization),
        correlationId: String(req.headers[CORRELATION_HEADER]),
      }),
    }),
  );
  app.use(badRequestHandler(logger));
  const { server, port } = await listen(app, options.port);
  logger.info({ port }, 'gateway listening');
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

function logOperations(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors }) {
          logger.info(
            {
              operationName,
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
