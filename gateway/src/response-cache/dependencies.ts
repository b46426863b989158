import { CACHEABLE_FIELDS } from '@clinic/contracts';
import {
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** Whose slots an answer lists: one slot, a doctor's, a clinic's, or anyone's. */
export type Subject = `slot:${string}` | `doctor:${string}` | `clinic:${string}` | '*';

/**
 * Slots an answer lists: those of `subject` starting within [from, to) (ms since the epoch). A change to
 * any such slot makes the answer stale. Directory data (clinics, doctors) changes only with doctor.*
 * events, which drop the whole cache, so it needs no entry here.
 */
export interface SlotDependency {
  subject: Subject;
  from: number;
  to: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Dates are read in a time zone the gateway does not resolve: a day either side covers every offset. */
const ZONE_PAD_MS = DAY_MS;
const ANY_TIME = { from: -Infinity, to: Infinity };

/**
 * What an operation's answer depends on, or null when it must not be cached: not a query, or it selects
 * a field CACHEABLE_FIELDS (the policy table) does not list, at any depth. Every selection counts, even
 * one an @include would leave out, so the walk only ever errs towards "not cacheable" or "more tags".
 */
export function cacheDependencies(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  now: number,
): SlotDependency[] | null {
  const operations = document.definitions.filter(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((definition) => definition.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  const query = schema.getQueryType();
  if (!operation || operation.operation !== 'query' || !query) return null;
  const dependencies: SlotDependency[] = [];
  const walk = selectionWalker(schema, document, variables, now, dependencies);
  return walk(query, operation.selectionSet) ? dependencies : null;
}

/**
 * Whether a subgraph's entity fetch (`{ _entities(representations: $representations) { ... on T { … } } }`,
 * as the query planner writes it) selects only fields the policy table lists as cacheable, none of which
 * lists slots: an answer that only a drop-everything event can change (entity-cache.ts).
 */
export function entityFetchCacheable(schema: GraphQLSchema, document: DocumentNode): boolean {
  const [operation, ...others] = document.definitions;
  if (others.length > 0 || operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query')
    return false;
  const [root, ...more] = operation.selectionSet.selections;
  if (more.length > 0 || root?.kind !== Kind.FIELD || root.name.value !== '_entities' || !root.selectionSet)
    return false;
  const dependencies: SlotDependency[] = [];
  // No variables but the representations (entity-cache.ts keeps no other fetch), and any slot window
  // makes the answer unfit whatever its times.
  const walk = selectionWalker(schema, document, {}, Date.now(), dependencies);
  for (const selection of root.selectionSet.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value === '__typename') continue;
    if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition) return false;
    const on = schema.getType(selection.typeCondition.name.value);
    if (!isObjectType(on) || !walk(on, selection.selectionSet)) return false;
  }
  return dependencies.length === 0;
}

/**
 * Walks selections from `type`, adding each slot dependency; false as soon as one selects a field that is
 * not cacheable. Every selection counts, even one an @include would leave out.
 */
function selectionWalker(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  now: number,
  dependencies: SlotDependency[],
): (type: GraphQLObjectType, selections: SelectionSetNode) => boolean {
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const seen = new Set<string>();
  const walk = (type: GraphQLObjectType, selections: SelectionSetNode): boolean => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        const coordinate = `${type.name}.${name}`;
        const field = type.getFields()[name];
        if (!field || !CACHEABLE_FIELDS.has(coordinate)) return false;
        const args = getArgumentValues(field, selection, variables);
        const dependency = slotDependency(coordinate, args, now);
        if (dependency) dependencies.push(dependency);
        const named = getNamedType(field.type);
        if (selection.selectionSet && (!isObjectType(named) || !walk(named, selection.selectionSet)))
          return false;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (!isObjectType(on) || !walk(on, selection.selectionSet)) return false;
      } else {
        const fragment = fragments.get(selection.name.value);
        // A fragment spread twice is walked once (validation has refused cycles already).
        if (seen.has(selection.name.value)) continue;
        seen.add(selection.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !isObjectType(on) || !walk(on, fragment.selectionSet)) return false;
      }
    }
    return true;
  };
  return walk;
}

function slotDependency(
  coordinate: string,
  args: Record<string, unknown>,
  now: number,
): SlotDependency | null {
  switch (coordinate) {
    case 'Query.availableSlots': {
      const filter = (args['filter'] ?? {}) as Record<string, unknown>;
      const from = localDay(filter['fromDate']);
      const to = localDay(filter['toDate']);
      return {
        subject: narrowest(filter['doctorId'], filter['clinicId']),
        ...(from === null || to === null
          ? ANY_TIME
          : { from: from - ZONE_PAD_MS, to: to + DAY_MS + ZONE_PAD_MS }),
      };
    }
    case 'Query.freeSlots': {
      const from = instant(args['from']);
      const to = instant(args['to']);
      return {
        subject: narrowest(args['doctorId'], args['clinicId']),
        ...(from === null || to === null ? ANY_TIME : { from, to }),
      };
    }
    case 'Query.nextAvailableSlot':
      return { subject: narrowest(args['doctorId'], args['clinicId']), ...ANY_TIME };
    case 'Query.slot':
      return {
        subject: typeof args['id'] === 'string' ? `slot:${args['id'].toLowerCase()}` : '*',
        ...ANY_TIME,
      };
    case 'Doctor.freeSlots': {
      // Whose doctor this is, the gateway cannot tell before the answer: any doctor's slots in the window.
      const from = args['from'] === undefined || args['from'] === null ? now : instant(args['from']);
      const days = typeof args['days'] === 'number' ? args['days'] : 7;
      return from === null
        ? { subject: '*', ...ANY_TIME }
        : { subject: '*', from: from - ZONE_PAD_MS, to: from + days * DAY_MS + ZONE_PAD_MS };
    }
    default:
      return null;
  }
}

/** Ids in lower case, as events carry them: PostgreSQL matches a uuid written in any case. */
function narrowest(doctorId: unknown, clinicId: unknown): Subject {
  if (typeof doctorId === 'string') return `doctor:${doctorId.toLowerCase()}`;
  if (typeof clinicId === 'string') return `clinic:${clinicId.toLowerCase()}`;
  return '*';
}

function localDay(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

function instant(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
