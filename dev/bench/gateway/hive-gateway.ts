import { readFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { peerIdentitySigner, type SignedHeaders } from './peer-identity';
import { requiredEnv as env, requirePeer } from './peers';

/**
 * BENCH ONLY: Hive Gateway (@graphql-hive/gateway's runtime, from the bench's own peers/node_modules) on
 * Node's HTTP server, over the supergraph in SUPERGRAPH_FILE; with HIVE_PLANNER=rust it plans with the
 * Rust query planner (@graphql-hive/router-runtime). The one addition is the bench's plugin that signs the
 * internal identity on every subgraph fetch, since the subgraphs require it.
 *
 * Hive's types are not the repository's to check (its packages exist only once the bench installed them),
 * so the few parts used are described here.
 */
interface FetchPayload {
  context: { request?: Request } | object;
  options: { headers?: Record<string, string> };
  setOptions(options: FetchPayload['options']): void;
}
interface HivePlugin {
  onFetch(payload: FetchPayload): Promise<void>;
}
interface HiveGateway {
  createGatewayRuntime(config: {
    supergraph: string;
    logging: boolean;
    plugins: () => HivePlugin[];
    transportEntries: Record<string, { options: { deduplicateInflightRequests: boolean } }>;
    unifiedGraphHandler?: unknown;
  }): RequestListener;
}
interface RouterRuntime {
  unifiedGraphHandler: unknown;
}

async function main(): Promise<void> {
  const hive = requirePeer('@graphql-hive/gateway') as HiveGateway;
  const rust = process.env['HIVE_PLANNER'] === 'rust';
  const sign = peerIdentitySigner(env('INTERNAL_IDENTITY_SECRET'));
  // One signature per incoming request (its context), shared by all its subgraph fetches.
  const signatures = new WeakMap<object, Promise<SignedHeaders>>();
  const signing: HivePlugin = {
    async onFetch({ context, options, setOptions }) {
      // Fetches that carry no client request (none in this bench) go unsigned.
      if (!('request' in context) || !context.request) return;
      let signed = signatures.get(context);
      if (!signed) {
        signed = sign(context.request.headers.get('authorization'));
        signatures.set(context, signed);
      }
      setOptions({ ...options, headers: { ...options.headers, ...(await signed) } });
    },
  };
  const runtime = hive.createGatewayRuntime({
    supergraph: readFileSync(env('SUPERGRAPH_FILE'), 'utf8'),
    logging: false,
    plugins: () => [signing],
    // Hive merges identical subgraph requests in flight at once, keyed without the headers a plugin adds,
    // so different callers could share one answer (here 1 subgraph request per patient's appointments
    // instead of 4); the other gateways make every fetch. Off, so all do the same work.
    transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
    ...(rust
      ? {
          unifiedGraphHandler: (requirePeer('@graphql-hive/router-runtime') as RouterRuntime)
            .unifiedGraphHandler,
        }
      : {}),
  });
  // Hive's own SIGTERM handler waits for its disposals; the bench has nothing for it to finish.
  process.once('SIGTERM', () => process.exit(0));
  const server = createServer(runtime);
  const port = Number(env('PORT'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  console.log(`hive gateway${rust ? ' (rust planner)' : ''} listening at http://127.0.0.1:${port}/graphql`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
