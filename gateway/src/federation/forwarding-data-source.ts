import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CORRELATION_HEADER, identityToHeaders } from '@clinic/platform';
import type { GatewayContext } from '../context';

/** Forwards the correlation id and the verified identity to every subgraph request. */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('correlationId' in context) || !request.http) return;
    request.http.headers.set(CORRELATION_HEADER, context.correlationId);
    for (const [name, value] of Object.entries(identityToHeaders(context.identity)))
      request.http.headers.set(name, value);
  }
}
