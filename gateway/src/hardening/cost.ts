import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  parse,
  valueFromASTUntyped,
  type ArgumentNode,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * The cost of an operation, as IBM's GraphQL cost directives (and Apollo's demand control) define it:
 * every object a field yields costs its weight (1 unless `@cost(weight:)` says otherwise; leaves cost 0),
 * and a list field multiplies what one item costs by how many items it may hold: the value of a slicing
 * argument (`first`), else `@listSize(assumedSize:)`. Nested lists multiply. Every alias, fragment and
 * `@include`/`@skip` counts as if selected, so the estimate is an upper bound as long as the list sizes
 * are.
 *
 * The actual cost of a response is the same sum over what it holds: each object (or leaf) the response
 * carries, weighed like the field that yielded it. So the estimate is never below the actual cost when
 * no list is longer than its declared size; `COST_FACTOR` is the margin we promise, measured per
 * operation (see useCostMeasurement).
 */
export interface FieldCost {
  /** `@cost(weight:)` of the field, when given. */
  weight?: number;
  /** `@listSize`. */
  listSize?: {
    assumedSize?: number;
    slicingArguments?: string[];
    sizedFields?: string[];
  };
}

/** Per type and field name: what the supergraph's `@cost` and `@listSize` say. */
export interface CostModel {
  fields: Map<string, FieldCost>;
  /** `@cost(weight:)` on object, scalar and enum types. */
  types: Map<string, number>;
}

/** Lists the supergraph gives no size: assumed long, so a forgotten `@listSize` errs on the side of refusing. */
export const DEFAULT_LIST_SIZE = 100;

/** How far an operation's actual cost may exceed its estimate; with honest list sizes it never does. */
export const COST_FACTOR = 1;

const COST_NAMES = new Set(['cost', 'cost__cost', 'federation__cost']);
const LIST_SIZE_NAMES = new Set(['listSize', 'cost__listSize', 'federation__listSize']);

/** Reads `@cost` and `@listSize` from a supergraph (the API schema drops them). */
export function costModelFromSupergraph(supergraphSdl: string): CostModel {
  const model: CostModel = { fields: new Map(), types: new Map() };
  const document = parse(supergraphSdl);
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.SCALAR_TYPE_DEFINITION &&
      definition.kind !== Kind.ENUM_TYPE_DEFINITION
    )
      continue;
    const typeWeight = weightOf(definition.directives ?? []);
    if (typeWeight !== undefined) model.types.set(definition.name.value, typeWeight);
    if (!('fields' in definition)) continue;
    for (const field of definition.fields ?? []) {
      const directives = field.directives ?? [];
      const cost: FieldCost = {};
      const weight = weightOf(directives);
      if (weight !== undefined) cost.weight = weight;
      const listSize = directives.find((directive) => LIST_SIZE_NAMES.has(directive.name.value));
      if (listSize) {
        const args = argumentsOf(listSize.arguments ?? []);
        cost.listSize = {};
        if (typeof args['assumedSize'] === 'number') cost.listSize.assumedSize = args['assumedSize'];
        if (Array.isArray(args['slicingArguments']))
          cost.listSize.slicingArguments = args['slicingArguments'].map(String);
        if (Array.isArray(args['sizedFields'])) cost.listSize.sizedFields = args['sizedFields'].map(String);
      }
      if (cost.weight !== undefined || cost.listSize)
        model.fields.set(`${definition.name.value}.${field.name.value}`, cost);
    }
  }
  return model;
}

function weightOf(directives: readonly ConstDirectiveNode[]): number | undefined {
  const cost = directives.find((directive) => COST_NAMES.has(directive.name.value));
  const weight = cost && argumentsOf(cost.arguments ?? [])['weight'];
  return typeof weight === 'number' ? weight : undefined;
}

function argumentsOf(args: readonly ArgumentNode[]): Record<string, unknown> {
  return Object.fromEntries(args.map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]));
}

/** What one object yielded by this field costs, before its own selection. */
function objectWeight(model: CostModel, parent: string, field: GraphQLField<unknown, unknown>): number {
  const declared = model.fields.get(`${parent}.${field.name}`)?.weight;
  if (declared !== undefined) return declared;
  const named = getNamedType(field.type);
  return model.types.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
}

/**
 * How many items a list field may hold: the largest slicing argument given as a literal, else its
 * default, else the assumed size (which is also the largest value a slicing argument accepts, so it
 * stands in for a variable, unknown at validation).
 */
function listSize(
  model: CostModel,
  parent: string,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
): number {
  const declared = model.fields.get(`${parent}.${field.name}`)?.listSize;
  const assumed = declared?.assumedSize ?? DEFAULT_LIST_SIZE;
  const slicing = declared?.slicingArguments ?? [];
  if (slicing.length === 0) return assumed;
  let size: number | undefined;
  for (const name of slicing) {
    const given = node.arguments?.find((arg) => arg.name.value === name);
    let value: unknown;
    if (!given) value = field.args.find((arg) => arg.name === name)?.defaultValue;
    else if (given.value.kind === Kind.INT) value = Number(given.value.value);
    else value = assumed;
    if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size ?? 0, Math.max(0, value));
  }
  return size ?? assumed;
}

interface Walk {
  schema: GraphQLSchema;
  model: CostModel;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Stops early once this is passed: the caller only needs to know that it was. */
  ceiling: number;
  /** Fragments being walked, so a cycle (reported by graphql-js's own rule) does not recurse forever. */
  visiting: Set<string>;
  /** A fragment's cost, once known: a fragment spreading another twice, twelve deep, is walked once each. */
  fragmentCosts: Map<string, number>;
}

function selectionCost(
  walk: Walk,
  parent: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  /** Children of a connection the parent's `@listSize(sizedFields:)` sizes: their list size. */
  sized: Map<string, number> | null,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (total > walk.ceiling) return total;
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(walk, parent, selection, sized);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      if (type && isCompositeType(type)) total += selectionCost(walk, type, selection.selectionSet, sized);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || walk.visiting.has(name)) continue;
      const known = sized ? undefined : walk.fragmentCosts.get(name);
      if (known !== undefined) {
        total += known;
        continue;
      }
      const type = walk.schema.getType(fragment.typeCondition.name.value);
      if (!type || !isCompositeType(type)) continue;
      walk.visiting.add(name);
      const cost = selectionCost(walk, type, fragment.selectionSet, sized);
      walk.visiting.delete(name);
      // Only a whole count is kept: one cut short at the ceiling would stand for less than it is.
      if (!sized && cost <= walk.ceiling) walk.fragmentCosts.set(name, cost);
      total += cost;
    }
  }
  return total;
}

function fieldCost(
  walk: Walk,
  parent: GraphQLCompositeType,
  node: FieldNode,
  sized: Map<string, number> | null,
): number {
  if (node.name.value.startsWith('__') || !('getFields' in parent)) return 0;
  const field = parent.getFields()[node.name.value];
  if (!field) return 0;
  const weight = objectWeight(walk.model, parent.name, field);
  const named = getNamedType(field.type);
  const declared = walk.model.fields.get(`${parent.name}.${field.name}`)?.listSize;
  // A connection: its own size is 1; the list fields it names hold as many as its slicing argument says.
  let childSized: Map<string, number> | null = null;
  if (declared?.sizedFields?.length) {
    const size = listSize(walk.model, parent.name, field, node);
    childSized = new Map(declared.sizedFields.map((name) => [name, size]));
  }
  const child =
    node.selectionSet && isCompositeType(named)
      ? selectionCost(walk, named, node.selectionSet, childSized)
      : 0;
  const each = weight + child;
  if (!isListType(getNullableType(field.type))) return each;
  const size = sized?.get(node.name.value) ?? listSize(walk.model, parent.name, field, node);
  return size * each;
}

/** The estimated cost of one operation of a document; stops counting soon after passing `ceiling`. */
export function estimateCost(
  schema: GraphQLSchema,
  model: CostModel,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  ceiling = Number.POSITIVE_INFINITY,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return selectionCost(
    { schema, model, fragments, ceiling, visiting: new Set(), fragmentCosts: new Map() },
    root,
    operation.selectionSet,
    null,
  );
}

/** The message a refused operation gets: the fact, never the limit or the estimate. */
export const COST_REFUSAL = 'The operation would cost too much to run.';

/**
 * Refuses every operation of a document whose estimate passes `limit`: queries and mutations through
 * Apollo, subscriptions (whose selection is resolved once per event) through the SSE endpoint, both
 * during validation, so nothing reaches a subgraph.
 */
export function costLimitRule(model: () => CostModel, limit: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      const cost = estimateCost(context.getSchema(), model(), context.getDocument(), operation, limit);
      // Coded here, not only by Apollo: the SSE endpoint validates subscriptions itself.
      if (cost > limit)
        context.reportError(
          new GraphQLError(COST_REFUSAL, {
            nodes: [operation],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        );
    },
  });
}

/**
 * The actual cost of a response: each value it carries, weighed as the estimate weighs the field that
 * yielded it (an object 1 unless `@cost` says otherwise, a leaf 0). Fields are merged by response name
 * as graphql-js merges them, so a key selected twice counts once, as it is resolved once.
 */
export function actualCost(
  schema: GraphQLSchema,
  model: CostModel,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: unknown,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root || !data || typeof data !== 'object') return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const collect = (
    type: GraphQLCompositeType,
    selectionSets: readonly SelectionSetNode[],
    found: Map<string, { type: GraphQLCompositeType; nodes: FieldNode[] }>,
    visited: Set<string>,
  ) => {
    for (const selectionSet of selectionSets) {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const entry = found.get(key) ?? { type, nodes: [] };
          entry.nodes.push(selection);
          found.set(key, entry);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition
            ? schema.getType(selection.typeCondition.name.value)
            : type;
          if (condition && isCompositeType(condition))
            collect(condition, [selection.selectionSet], found, visited);
        } else {
          // As graphql-js collects fields: a fragment spread twice into one object adds nothing new.
          const fragment = fragments.get(selection.name.value);
          if (!fragment || visited.has(fragment.name.value)) continue;
          const condition = schema.getType(fragment.typeCondition.name.value);
          if (!condition || !isCompositeType(condition)) continue;
          visited.add(fragment.name.value);
          collect(condition, [fragment.selectionSet], found, visited);
        }
      }
    }
  };

  const objectCost = (
    type: GraphQLCompositeType,
    selectionSets: readonly SelectionSetNode[],
    value: Record<string, unknown>,
  ): number => {
    const found = new Map<string, { type: GraphQLCompositeType; nodes: FieldNode[] }>();
    collect(type, selectionSets, found, new Set());
    let total = 0;
    for (const [key, { type: parent, nodes }] of found) {
      const first = nodes[0];
      if (!first || !(key in value) || first.name.value.startsWith('__')) continue;
      // An abstract parent: the field is defined on the concrete type the fragment named.
      const field = 'getFields' in parent ? parent.getFields()[first.name.value] : undefined;
      if (!field) continue;
      const weight = objectWeight(model, parent.name, field);
      const named = getNamedType(field.type);
      const children = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      const itemCost = (item: unknown): number => {
        if (item === null || item === undefined) return 0;
        if (Array.isArray(item)) return item.reduce<number>((sum, inner) => sum + itemCost(inner), 0);
        if (isCompositeType(named) && typeof item === 'object') {
          const concrete =
            isObjectType(named) || typeof (item as { __typename?: unknown }).__typename !== 'string'
              ? named
              : ((schema.getType((item as { __typename: string }).__typename) as GraphQLCompositeType) ??
                named);
          return weight + objectCost(concrete, children, item as Record<string, unknown>);
        }
        return weight;
      };
      total += itemCost(value[key]);
    }
    return total;
  };

  return objectCost(root, [operation.selectionSet], data as Record<string, unknown>);
}
