import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CORRELATION_HEADER, INTERNAL_IDENTITY_HEADER, signInternalIdentity } from '@clinic/platform';
import type { GatewayContext } from '../context';

export interface ForwardingOptions {
  /** Absent: the routing URL the supergraph names. */
  url: string | undefined;
  /** Shared with the subgraphs: they answer only requests whose identity the gateway signed with it. */
  internalIdentitySecret: string;
  /** A subgraph slower than this fails its part of the operation instead of holding the request open. */
  timeoutMs: number;
}

/**
 * Forwards the correlation id and the verified identity (signed, see INTERNAL_IDENTITY_HEADER) to every
 * subgraph request, and gives each request a deadline.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  // One signature per incoming request, shared by all its subgraph fetches.
  private readonly signatures = new WeakMap<GatewayContext, Promise<string>>();
  private readonly secret: string;

  constructor(options: ForwardingOptions) {
    super(options.url === undefined ? {} : { url: options.url });
    this.secret = options.internalIdentitySecret;
    const fetcher = this.fetcher;
    this.fetcher = (url, init) => fetcher(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
  }

  override async willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Health checks and schema loading carry no incoming request, hence no context to sign.
    if (!('correlationId' in context) || !request.http) return;
    const incoming = context as GatewayContext;
    request.http.headers.set(CORRELATION_HEADER, incoming.correlationId);
    let signature = this.signatures.get(incoming);
    if (!signature) {
      signature = signInternalIdentity(this.secret, incoming.identity, incoming.correlationId);
      this.signatures.set(incoming, signature);
    }
    request.http.headers.set(INTERNAL_IDENTITY_HEADER, await signature);
  }
}
