import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { Identity } from '@clinic/contracts';
import type { ExecutionResult } from 'graphql';
import type { GatewayContext } from '../context';

/** Runs a query through the gateway (query planner, subgraphs) as the given caller. */
export type GatewayQuery = (
  request: { query: string; variables: Record<string, unknown>; operationName?: string | undefined },
  identity: Identity | null,
  /** The event's correlation id, so a live update's subgraph calls log under the request that caused it. */
  correlationId?: string,
) => Promise<ExecutionResult>;

/** Queries run in-process through Apollo, as a POST to /graphql would be but without HTTP. */
export function queryThroughApollo(apollo: ApolloServer<GatewayContext>): GatewayQuery {
  return async ({ query, variables, operationName }, identity, correlationId) => {
    const response = await apollo.executeOperation(
      { query, variables, ...(operationName ? { operationName } : {}) },
      { contextValue: { identity, correlationId: correlationId ?? `live-${randomUUID()}` } },
    );
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used here');
    return response.body.singleResult as ExecutionResult;
  };
}
