import {
  context,
  createContextKey,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span as ApiSpan,
} from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * GraphQL spans under the names the leading gateways share (docs/tracing.md has the mapping), with three
 * attributes that never carry caller text: the operation's type, the sha256 of its document, and as its
 * "name" the root fields it selects (schema fields, sorted): the name a caller chose is free text.
 */
export const GRAPHQL_SPAN_NAMES: Readonly<Record<string, string>> = {
  'gateway.validate': 'graphql.validate',
  'gateway.plan': 'graphql.plan',
  'gateway.execute': 'graphql.execute',
  'gateway.fetch': 'graphql.subgraph.operation',
};

export interface GraphqlOperation {
  type: string;
  /** The root fields selected, sorted and comma-joined. */
  rootFields: string;
  /** sha256 of the document's text, hex (Apollo Server's queryHash). */
  documentHash: string;
}

const OPERATION = createContextKey('clinic.graphql.operation');

export function operationAttributes(operation: GraphqlOperation): Attributes {
  return {
    'graphql.operation.type': operation.type,
    'graphql.operation.name': operation.rootFields,
    'graphql.document.hash': operation.documentHash,
  };
}

/** The operation a validated document runs: null when there is none to pick (Apollo refuses those). */
export function describeOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  documentHash: string,
): GraphqlOperation | null {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((candidate) => candidate.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return null;
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition.selectionSet]] : [],
    ),
  );
  const fields = new Set<string>();
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment);
      }
    }
  };
  collect(operation.selectionSet);
  return { type: operation.operation, rootFields: [...fields].sort().join(','), documentHash };
}

/**
 * Runs `work` (a gateway's executor) with the request's operation known to every span started inside it
 * (see GraphqlSpanNames). Nothing is computed when the request is not traced.
 */
export function withGraphqlOperation<T>(
  request: { document?: DocumentNode; operationName?: string | null; queryHash?: string },
  work: () => T,
): T {
  if (!trace.getActiveSpan()?.isRecording() || !request.document) return work();
  const operation = describeOperation(request.document, request.operationName, request.queryHash ?? '');
  return operation ? context.with(context.active().setValue(OPERATION, operation), work) : work();
}

/**
 * Renames @apollo/gateway's spans as it starts them and writes the operation's attributes over the ones it
 * set: it puts the caller's operation name in `graphql.operation.name` and `operationName`.
 */
export class GraphqlSpanNames implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    if (!span.name.startsWith('gateway.')) return;
    const renamed = GRAPHQL_SPAN_NAMES[span.name];
    if (renamed) span.updateName(renamed);
    const operation = parentContext.getValue(OPERATION) as GraphqlOperation | undefined;
    span.setAttribute('operationName', '');
    span.setAttribute('graphql.operation.name', operation?.rootFields ?? '');
    if (operation) span.setAttributes(operationAttributes(operation));
    const subgraph = span.attributes['service'];
    if (typeof subgraph === 'string') span.setAttribute('graphql.subgraph.name', subgraph);
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}

const tracer = () => trace.getTracer('@clinic/platform/graphql');

function endSpan(span: ApiSpan, errors: readonly unknown[] | undefined): void {
  // The status only: error messages can quote what the caller typed.
  if (errors && errors.length > 0) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * Apollo Server's own phases as spans, their attributes set only on a span that records (most are not
 * sampled). The document's hash is Apollo Server's `queryHash`, which it computes anyway. At the gateway (`phases: 'parse'`) only `graphql.parse`:
 * @apollo/gateway traces the rest (GraphqlSpanNames renames them). At a subgraph, `graphql.parse`,
 * `graphql.validate` and `graphql.execute`. Costs nothing when no tracer provider is registered.
 */
export function graphqlTracingPlugin<T extends object>(phases: 'parse' | 'all'): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart({ queryHash }: GraphQLRequestContext<T>) {
          const span = tracer().startSpan('graphql.parse');
          if (span.isRecording()) span.setAttribute('graphql.document.hash', queryHash ?? '');
          return async (error?: Error) => endSpan(span, error ? [error] : undefined);
        },
        ...(phases === 'all'
          ? {
              async validationDidStart({ queryHash }: GraphQLRequestContext<T>) {
                const span = tracer().startSpan('graphql.validate');
                if (span.isRecording()) span.setAttribute('graphql.document.hash', queryHash ?? '');
                return async (errors?: readonly Error[]) => endSpan(span, errors);
              },
              async executionDidStart(requestContext: GraphQLRequestContext<T>) {
                const span = tracer().startSpan('graphql.execute');
                // Described only when recorded: nothing is computed for an untraced request.
                const { document, operationName, queryHash } = requestContext;
                const operation =
                  span.isRecording() &&
                  document &&
                  describeOperation(document, operationName, queryHash ?? '');
                if (operation) span.setAttributes(operationAttributes(operation));
                return {
                  async executionDidEnd(error?: Error) {
                    endSpan(span, error ? [error] : requestContext.errors);
                  },
                };
              },
            }
          : {}),
      };
    },
  };
}
