import type { ApolloServerPlugin } from '@apollo/server';
import { metrics } from '@clinic/platform';
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * graphql_operations_total: every operation a client sent the gateway over HTTP, labelled by what the schema
 * bounds, never by what the caller chose: the root field it selects (by field name, not alias; `multiple`
 * when it selects several, since every combination of fields would be a series a caller could mint), its
 * type, and its outcome (`ok`, a failure on our side if there is one, else the first error's code). A document that did not parse or validate, or
 * names a root field the schema does not have, is `unknown`.
 */
/** Codes that mean we failed, not the caller: the availability SLO counts them. */
const SERVER_SIDE = new Set(['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']);

export function useOperationMetrics(): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      // Operations the gateway runs itself (a live event's resolution, the console's) have no HTTP request.
      if (!request.http) return {};
      return {
        async willSendResponse({ document, operation, schema, errors, response }) {
          // As the caller got them: formatted, so a masked error counts under the code it was answered with.
          const { body } = response;
          const sent = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const all = sent ?? errors ?? [];
          // A failure on our side outranks the caller's own mistakes in the same answer: the SLO counts it.
          const codes = all.map((error) => {
            const code = error.extensions?.['code'];
            return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
          });
          // Apollo sets `operation` only once the document parsed, validated and named an operation.
          const known = document && operation ? operationLabel(schema, document, operation) : null;
          metrics.graphqlOperations.inc({
            service: 'gateway',
            operation: known ?? 'unknown',
            operation_type: known && operation ? operation.operation : 'unknown',
            outcome: codes.find((code) => SERVER_SIDE.has(code)) ?? codes[0] ?? 'ok',
          });
        },
      };
    },
  };
}

/**
 * The root field an operation selects, through fragments (`__typename` beside others left out), or
 * `multiple`; null if any is not the schema's.
 */
export function operationLabel(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): string | null {
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (selections: SelectionSetNode): boolean =>
    selections.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        names.add(name);
        return name.startsWith('__')
          ? ['__typename', '__schema', '__type'].includes(name)
          : name in root.getFields();
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      const fragment = fragments.get(selection.name.value);
      if (!fragment) return false;
      if (seen.has(fragment.name.value)) return true;
      seen.add(fragment.name.value);
      return visit(fragment.selectionSet);
    });
  if (!visit(operation.selectionSet) || names.size === 0) return null;
  const fields = [...names].filter((name) => !name.startsWith('__'));
  const [only] = fields.length > 0 ? fields : [...names];
  return fields.length > 1 || (fields.length === 0 && names.size > 1) ? 'multiple' : (only ?? null);
}
