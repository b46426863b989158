import { appError, type Identity } from '@clinic/contracts';
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  type GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LIVE_FIELDS, type LiveField } from './live-fields';

export interface LiveSubscribeRequest {
  document: DocumentNode;
  operationName?: string | undefined;
  variables: Record<string, unknown>;
  identity: Identity | null;
  /** The client's address, when the transport knows it: its groups are bounded as a subject's are. */
  address?: string | undefined;
}

/** A subscription the hub can serve: its one live field, and its variables and arguments coerced. */
export interface LiveRequest {
  operation: OperationDefinitionNode;
  fieldNode: FieldNode;
  field: LiveField;
  variables: Record<string, unknown>;
  /** The field's own arguments: they only filter events. */
  args: Record<string, unknown>;
}

const refusal = (...errors: GraphQLError[]): ExecutionResult => ({ data: null, errors });

/**
 * What a subscription asks of the hub, or a result with the errors that refuse it: one live field the
 * caller may watch, with variables and arguments that fit the schema.
 */
export function checkLiveRequest(
  schema: GraphQLSchema,
  request: LiveSubscribeRequest,
): LiveRequest | ExecutionResult {
  const operation = getOperationAST(request.document, request.operationName);
  const fieldNode = operation?.selectionSet.selections[0];
  // One node, not just one response name: graphql-js lets the same alias repeat, and a second node's
  // variables would escape the group key.
  if (
    operation?.operation !== 'subscription' ||
    operation.selectionSet.selections.length !== 1 ||
    fieldNode?.kind !== 'Field'
  ) {
    return refusal(appError('BAD_REQUEST', 'Expected one subscription field.'));
  }
  const field = LIVE_FIELDS[fieldNode.name.value];
  const definition = schema.getSubscriptionType()?.getFields()[fieldNode.name.value];
  if (!field || !definition) {
    return refusal(appError('GRAPHQL_VALIDATION_FAILED', `No live field ${fieldNode.name.value}.`));
  }
  const refused = field.authorize(request.identity);
  if (refused) return refusal(refused);
  // Checked here, not at the first event: a group resolves with one member's variables, so one
  // member's bad value would otherwise fail (and be shown to) every member.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables);
  if (coerced.errors) {
    return refusal(...coerced.errors.map((error) => appError('BAD_USER_INPUT', error.message)));
  }
  const variables = coerced.coerced;
  try {
    const args = getArgumentValues(definition, fieldNode, variables);
    return { operation, fieldNode, field, variables, args };
  } catch (error) {
    return refusal(appError('BAD_USER_INPUT', (error as Error).message));
  }
}
