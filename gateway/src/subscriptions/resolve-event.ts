import {
  buildASTSchema,
  execute,
  GraphQLError,
  Kind,
  parse,
  print,
  printSchema,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import type { LiveField, LivePayload } from './live-fields';

/** Runs one query through the gateway's federated executor as a given subscriber. */
export type RunQuery = (query: string, variables: Record<string, unknown>) => Promise<ExecutionResult>;

const ID_VARIABLE = 'liveEntityId';
const ENTITY_ALIAS = 'entity';

/** The entity query built for one subscription document, cached on the document's field nodes. */
const entityQueries = new WeakMap<FieldNode, { text: string; variables: string[] }>();

/**
 * Resolves a subscriber's whole selection for one event. The subscription document is executed locally
 * on the API schema: the root field yields the event's payload, and the payload's entity field (`slot`,
 * `appointment`, `doctor`) becomes one root query through the federated query planner, so every field of
 * every subgraph resolves as it does for a query, with the subscriber's identity.
 */
export async function resolveEvent(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  field: LiveField;
  payload: LivePayload;
  entityId: string;
  runQuery: RunQuery;
}): Promise<ExecutionResult> {
  const { field, payload } = options;
  const schema = plainSchema(options.schema);
  const subscriptionType = schema.getSubscriptionType();
  const resolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
    if (info.parentType === subscriptionType) return payload;
    if (source === payload) {
      return info.fieldName === field.entity.field ? loadEntity(info) : payload[info.fieldName];
    }
    // Below the entity, values come from the federated result, keyed by alias or field name.
    return (source as Record<string, unknown>)[String(info.path.key)];
  };
  const loadEntity = async (info: GraphQLResolveInfo) => {
    const query = entityQuery(info, field.entity.queryField);
    const variables: Record<string, unknown> = { [ID_VARIABLE]: options.entityId };
    for (const name of query.variables) variables[name] = options.variables[name];
    const result = await options.runQuery(query.text, variables);
    const first = result.errors?.[0];
    if (first) throw new GraphQLError(first.message, { extensions: first.extensions });
    return (result.data as Record<string, unknown> | null | undefined)?.[ENTITY_ALIAS] ?? null;
  };
  return execute({
    schema,
    document: options.document,
    variableValues: options.variables,
    fieldResolver: resolver,
    ...(options.operationName ? { operationName: options.operationName } : {}),
  });
}

const plainSchemas = new WeakMap<GraphQLSchema, GraphQLSchema>();

/** The API schema without the gateway's own field resolvers, so this module's resolver runs everywhere. */
function plainSchema(schema: GraphQLSchema): GraphQLSchema {
  let plain = plainSchemas.get(schema);
  if (!plain) {
    plain = buildASTSchema(parse(printSchema(schema)));
    plainSchemas.set(schema, plain);
  }
  return plain;
}

/** `query(...) { entity: <queryField>(id: $liveEntityId) { <the subscriber's selection> } }` and its fragments. */
function entityQuery(info: GraphQLResolveInfo, queryField: string): { text: string; variables: string[] } {
  // Cached only when one node asks for the entity. Which of several nodes are collected depends on the
  // variables (`@include(if: $x)`), and subscribers with different variables share one parsed document.
  const key = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  const cached = key && entityQueries.get(key);
  if (cached) return cached;
  const selections: SelectionNode[] = info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []);
  const fragments = usedFragments(selections, info.fragments);
  const used = new Set<string>();
  for (const node of [...selections, ...fragments]) {
    visit(node, { Variable: (variable) => void used.add(variable.name.value) });
  }
  const variableDefinitions = (info.operation.variableDefinitions ?? []).filter((definition) =>
    used.has(definition.variable.name.value),
  );
  const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    name: name('LiveEntity'),
    variableDefinitions: [
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: name(ID_VARIABLE) },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('ID') } },
      },
      ...variableDefinitions,
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          kind: Kind.FIELD,
          alias: name(ENTITY_ALIAS),
          name: name(queryField),
          arguments: [
            {
              kind: Kind.ARGUMENT,
              name: name('id'),
              value: { kind: Kind.VARIABLE, name: name(ID_VARIABLE) },
            },
          ],
          selectionSet: { kind: Kind.SELECTION_SET, selections },
        },
      ],
    },
  };
  const query = {
    text: print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }),
    variables: variableDefinitions.map((definition) => definition.variable.name.value),
  };
  if (key) entityQueries.set(key, query);
  return query;
}

function usedFragments(
  selections: readonly SelectionNode[],
  all: Record<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const walk = (nodes: readonly SelectionNode[]) => {
    for (const node of nodes) {
      visit(node, {
        FragmentSpread: (spread) => {
          const fragment = all[spread.name.value];
          if (fragment && !found.has(fragment.name.value)) {
            found.set(fragment.name.value, fragment);
            walk(fragment.selectionSet.selections);
          }
        },
      });
    }
  };
  walk(selections);
  return [...found.values()];
}
