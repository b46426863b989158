import type { ApolloServerPlugin } from '@apollo/server';
import { appError, callerOf, decide, refusalCode, refusalMessage, type Identity } from '@clinic/contracts';
import {
  getNamedType,
  isUnionType,
  Kind,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

const ROOT_TYPE = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/**
 * The root fields an operation asks for, through fragments and inline fragments, by their coordinate
 * (`Query.appointments`). Introspection fields are left to the gateway's introspection setting.
 */
export function rootCoordinates(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const root = ROOT_TYPE[operation.operation];
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) found.add(`${root}.${selection.name.value}`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return [...found];
}

/**
 * Why the policy table refuses this operation to this caller before any subgraph is asked, or null.
 * A denied mutation whose result union has a `...NotAllowed` member is left to the subgraph, which
 * answers with that typed member (clients handle it as an outcome); an anonymous caller is asked to
 * sign in either way.
 */
export function policyRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  identity: Identity | null,
): GraphQLError | null {
  const caller = callerOf(identity);
  for (const coordinate of rootCoordinates(document, operation)) {
    if (decide(caller, coordinate) !== 'deny') continue;
    if (caller !== 'Anonymous' && hasTypedRefusal(schema, coordinate)) continue;
    // Status 200, as when a subgraph refuses: the refusal is a GraphQL result, not a transport failure.
    return appError(refusalCode(caller), refusalMessage(caller, coordinate), { http: { status: 200 } });
  }
  return null;
}

function hasTypedRefusal(schema: GraphQLSchema, coordinate: string): boolean {
  if (!coordinate.startsWith('Mutation.')) return false;
  const field = schema.getMutationType()?.getFields()[coordinate.slice('Mutation.'.length)];
  const result = field && getNamedType(field.type);
  return !!result && isUnionType(result) && result.getTypes().some((t) => t.name.endsWith('NotAllowed'));
}

/**
 * Rejects an operation whose root fields the policy table denies to the caller, before the gateway
 * plans it: a denied caller costs no subgraph call. The subgraphs enforce the same table themselves
 * (libs/platform/src/server/use-policy.ts); this is the early, cheap refusal, not the only one.
 */
export function usePolicyPrecheck(): ApolloServerPlugin<{ identity: Identity | null }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, contextValue }) {
          if (!operation) return;
          const refusal = policyRefusal(schema, document, operation, contextValue.identity);
          if (refusal) throw refusal;
        },
      };
    },
  };
}
