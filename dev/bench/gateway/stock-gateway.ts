import { readFileSync } from 'node:fs';
import { CORRELATION_HEADER, INTERNAL_IDENTITY_HEADER } from '@clinic/platform';
import { peerIdentitySigner, type SignedHeaders } from './peer-identity';
import { requiredEnv as env, requirePeer } from './peers';

/**
 * BENCH ONLY: a stock @apollo/gateway behind a stock @apollo/server standalone server, from the bench's
 * own peers/node_modules, over the supergraph in SUPERGRAPH_FILE. The one addition is the bench's hook
 * that signs the internal identity (a RemoteGraphQLDataSource subclass), since the subgraphs require it.
 */
type Gateway = typeof import('@apollo/gateway');
type ProcessOptions = import('@apollo/gateway').GraphQLDataSourceProcessOptions<Context>;
type Server = typeof import('@apollo/server');
type Standalone = typeof import('@apollo/server/standalone');

interface Context {
  signed: Promise<SignedHeaders>;
}

async function main(): Promise<void> {
  const { ApolloGateway, RemoteGraphQLDataSource } = requirePeer('@apollo/gateway') as Gateway;
  const { ApolloServer } = requirePeer('@apollo/server') as Server;
  const { startStandaloneServer } = requirePeer('@apollo/server/standalone') as Standalone;
  const sign = peerIdentitySigner(env('INTERNAL_IDENTITY_SECRET'));

  class SigningDataSource extends RemoteGraphQLDataSource<Context> {
    override async willSendRequest({ request, context }: ProcessOptions): Promise<void> {
      if (!('signed' in context) || !request.http) return;
      const signed = await context.signed;
      request.http.headers.set(CORRELATION_HEADER, signed[CORRELATION_HEADER]);
      request.http.headers.set(INTERNAL_IDENTITY_HEADER, signed[INTERNAL_IDENTITY_HEADER]);
    }
  }

  process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(env('SUPERGRAPH_FILE'), 'utf8'),
    buildService: ({ url }) => new SigningDataSource(url === undefined ? {} : { url }),
  });
  const server = new ApolloServer<Context>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(env('PORT')), host: '127.0.0.1' },
    context: async ({ req }) => ({ signed: sign(req.headers.authorization) }),
  });
  console.log(`stock gateway listening at ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
