import {
  defaultFieldResolver,
  getNamedType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import {
  type Identity,
  appError,
  callerOf,
  decide,
  isRootCoordinate,
  policyRow,
  refusalCode,
  refusalMessage,
} from '@clinic/contracts';

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

/**
 * Enforces the policy table (policy/policy-table.ts) on a subgraph's schema, in place, before any
 * resolver runs: every root field (except federation's `_entities` and `_service`, which only carry
 * entity fields that are themselves checked) and every object field with a row is wrapped. A `deny`
 * for the caller refuses: UNAUTHENTICATED without a token, otherwise FORBIDDEN, or, for a mutation
 * whose result union has a `...NotAllowed` member, that typed member (the schema's contract for
 * "the caller's role may not do this"). A `clinic` row refuses a staff token that names no clinic.
 * `own` and `clinic` rows then run the resolver, which scopes the data. The table rather than SDL
 * directives is the source, so the rule lives in one place (see docs/policy.md).
 */
export function applyPolicy(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (ROOT_TYPES.includes(type.name) ? field.name.startsWith('_') : !policyRow(coordinate)) continue;
      guard(field, coordinate);
    }
  }
  return schema;
}

type Resolver = GraphQLFieldResolver<unknown, unknown>;
// graphql-js field resolvers take an untyped context; ours is always the subgraph's RequestContext.
type PolicyContext = { identity: Identity | null };

function guard(field: GraphQLField<unknown, unknown>, coordinate: string): void {
  const typedRefusal = notAllowedMember(field, coordinate);
  const check = (untyped: unknown): unknown => {
    const context = untyped as PolicyContext;
    const caller = callerOf(context.identity);
    const access = decide(caller, coordinate);
    const refused = access === 'deny' || (access === 'clinic' && !context.identity?.clinicId);
    if (!refused) return undefined;
    const message =
      access === 'clinic'
        ? `Your token names no clinic, and ${coordinate} is limited to one.`
        : refusalMessage(caller, coordinate);
    if (typedRefusal && caller !== 'Anonymous') return { __typename: typedRefusal, message };
    throw appError(refusalCode(caller), message);
  };
  const resolve: Resolver = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context, info) => check(context) ?? resolve(source, args, context, info);
  const subscribe = field.subscribe;
  if (subscribe)
    // Only mutations have typed refusals, so for a subscription `check` either passes or throws.
    field.subscribe = (source, args, context, info) => {
      check(context);
      return subscribe(source, args, context, info);
    };
}

/** The `...NotAllowed` member of a mutation's result union, if it has one. */
function notAllowedMember(field: GraphQLField<unknown, unknown>, coordinate: string): string | null {
  if (!isRootCoordinate(coordinate) || !coordinate.startsWith('Mutation.')) return null;
  const result = getNamedType(field.type);
  if (!isUnionType(result)) return null;
  return result.getTypes().find((member) => member.name.endsWith('NotAllowed'))?.name ?? null;
}
