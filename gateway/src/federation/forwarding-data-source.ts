import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { appError } from '@clinic/contracts';
import {
  CORRELATION_HEADER,
  INTERNAL_IDENTITY_HEADER,
  injectTraceContext,
  metrics,
  signInternalIdentity,
} from '@clinic/platform';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context';
import type { EntityCache } from '../response-cache/entity-cache';
import { deduplicateRepresentations, expandEntities, isEntityFetch } from './deduplicate-representations';
import { createSubgraphFetch, type SubgraphFetchInit } from './subgraph-fetch';

export interface ForwardingOptions {
  /** The subgraph's name in the supergraph: the `subgraph` label of its fetch durations. */
  name: string;
  /** Absent: the routing URL the supergraph names. */
  url: string | undefined;
  /** Shared with the subgraphs: they answer only requests whose identity the gateway signed with it. */
  internalIdentitySecret: string;
  /** A subgraph slower than this fails its part of the operation instead of holding the request open. */
  timeoutMs: number;
  /** Entity answers kept at the gateway (entity-cache.ts), for a subgraph whose data only rare events change. */
  entityCache?: EntityCache | undefined;
}

/**
 * Forwards the trace context, the correlation id and the verified identity (signed, see INTERNAL_IDENTITY_HEADER) to every
 * subgraph request, and gives each request a deadline.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  // One signature per incoming request, shared by all its subgraph fetches.
  private readonly signatures = new WeakMap<GatewayContext, Promise<string>>();
  private readonly secret: string;
  private readonly name: string;
  private readonly entityCache: EntityCache | undefined;

  constructor(options: ForwardingOptions) {
    super(options.url === undefined ? {} : { url: options.url });
    this.secret = options.internalIdentitySecret;
    this.name = options.name;
    this.entityCache = options.entityCache;
    // A subgraph that refuses, resets or outlasts the deadline (a replica stopping, a restart): the
    // client may retry, so it gets SERVICE_UNAVAILABLE rather than a masked internal error.
    const post = createSubgraphFetch(options.timeoutMs);
    this.fetcher = (url, init) =>
      post(url, init as SubgraphFetchInit).then(
        // Has all of the Response that RemoteGraphQLDataSource reads (subgraph-fetch.ts).
        (response) => response as unknown as FetcherResponse,
        () => {
          throw appError('SERVICE_UNAVAILABLE', UNAVAILABLE);
        },
      );
  }

  override process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    return this.sendDeduplicated(options);
  }

  /**
   * Times every request sent (graphql_subgraph_fetch_duration_seconds): an error is one the fetch threw.
   * An entity fetch the entity cache answered whole sends none, and is not counted.
   */
  private async timed(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const labels = { service: 'gateway', subgraph: this.name };
    try {
      const response = await super.process(options);
      metrics.subgraphFetchDuration.observe({ ...labels, outcome: 'ok' }, seconds());
      return response;
    } catch (error) {
      metrics.subgraphFetchDuration.observe({ ...labels, outcome: 'error' }, seconds());
      throw error;
    }
  }

  /**
   * An entity fetch sends each distinct representation once (deduplicate-representations.ts), and none
   * whose answer the entity cache holds (entity-cache.ts).
   */
  private async sendDeduplicated(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const { query, variables = {} } = options.request;
    const representations: unknown = variables['representations'];
    // Only the planner's entity fetches: a caller may name a variable `representations` too, and its
    // values are its own.
    if (!isEntityFetch(query) || query === undefined || !Array.isArray(representations))
      return this.timed(options);
    const deduplicated = deduplicateRepresentations(representations);
    const send = (sent: unknown[]) =>
      this.timed({
        ...options,
        request: { ...options.request, variables: { ...variables, representations: sent } },
      });
    const context = options.context;
    // Health checks and schema loading carry no incoming request, hence no caller's scope.
    const answer =
      this.entityCache && 'correlationId' in context
        ? await this.entityCache.fetch(
            {
              query,
              variables,
              identity: (context as GatewayContext).identity,
              operation:
                'incomingRequestContext' in options
                  ? options.incomingRequestContext.operation?.operation
                  : undefined,
            },
            deduplicated?.unique ?? representations,
            send,
          )
        : await send(deduplicated?.unique ?? representations);
    return deduplicated ? expandEntities(answer, deduplicated) : answer;
  }

  override async willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Health checks and schema loading carry no incoming request, hence no context to sign.
    if (!('correlationId' in context) || !request.http) return;
    // Inside @apollo/gateway's fetch span (graphql.subgraph.operation): the subgraph continues it, and the
    // http instrumentation adds no client span of its own for a request that already carries the context.
    const http = request.http;
    injectTraceContext((name, value) => http.headers.set(name, value));
    const incoming = context as GatewayContext;
    request.http.headers.set(CORRELATION_HEADER, incoming.correlationId);
    let signature = this.signatures.get(incoming);
    if (!signature) {
      signature = signInternalIdentity(this.secret, incoming.identity, incoming.correlationId);
      this.signatures.set(incoming, signature);
    }
    request.http.headers.set(INTERNAL_IDENTITY_HEADER, await signature);
  }

  /**
   * A subgraph's HTTP error. Apollo's own keeps the whole body in the error, and a 400's body quotes what
   * the caller typed (graphql-js words refused values into its messages), so it reached the log when the
   * error was masked. The body is read for its codes only: a 400 that is all BAD_USER_INPUT is the
   * caller's mistake; anything else is ours, masked and logged by status alone.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = await this.parseBody(response).catch(() => null);
    const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : null;
    const codes = Array.isArray(errors)
      ? errors.map((error) => (error as { extensions?: { code?: unknown } } | null)?.extensions?.code)
      : [];
    if (response.status === 400 && codes.length > 0 && codes.every((code) => code === 'BAD_USER_INPUT'))
      return appError('BAD_USER_INPUT', 'An argument has an invalid value.');
    if (response.status === 502 || response.status === 503 || response.status === 504)
      return appError('SERVICE_UNAVAILABLE', UNAVAILABLE, { subgraphStatus: response.status });
    return new GraphQLError(`The subgraph answered HTTP ${response.status}.`, {
      extensions: { subgraphStatus: response.status },
    });
  }
}

const UNAVAILABLE = 'A service this operation needs is unavailable for a moment. Retry shortly.';

type FetcherResponse = Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0];
