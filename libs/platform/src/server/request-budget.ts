import {
  defaultFieldResolver,
  getNullableType,
  isListType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { appError } from '@clinic/contracts';

/**
 * What one request may make a subgraph do. The gateway refuses an operation whose estimated cost passes
 * its limit (5,000 objects, gateway/src/hardening/cost.ts) and every object a subgraph yields is an
 * object of the response, so an operation the gateway let through stays below both bounds here with
 * room to spare; these catch the rest (a list longer than its `@listSize`, a caller other than the
 * gateway's planner) with a coded error rather than unbounded work.
 *
 * The body limit is what makes an entity fetch of `entitiesPerRequest` representations fit: the
 * largest representation (`{"__typename":"Appointment","id":<uuid>,"clientId":<uuid>}`) is under 128
 * bytes, so 20,000 take 2.5 MiB and the operation text the rest. A fetch over the body limit would be
 * answered 413, which the gateway can only report as an internal error.
 */
export const SUBGRAPH_REQUEST_LIMITS = {
  /** Representations in one `_entities` call. */
  entitiesPerRequest: 20_000,
  /** List items all of one request's resolvers may return together (rows, in effect). */
  listItemsPerRequest: 20_000,
  /** Largest JSON body a subgraph reads. */
  bodyLimitBytes: 4 * 1024 * 1024,
};

/** Bytes one `_entities` representation may take at most (see above); checked by a test. */
export const MAX_REPRESENTATION_BYTES = 128;

const TOO_MUCH = 'The operation asks for too much at once.';

type Resolver = GraphQLFieldResolver<unknown, unknown>;

/**
 * Bounds each request, in place: `_entities` refuses more than `entitiesPerRequest` representations
 * before resolving any, and every list field counts the items it returns against the request's
 * `listItemsPerRequest`, refusing the list that would pass it. Both refusals are BAD_USER_INPUT with a
 * message that names no number.
 */
export function applyRequestBudget(
  schema: GraphQLSchema,
  limits: Pick<
    typeof SUBGRAPH_REQUEST_LIMITS,
    'entitiesPerRequest' | 'listItemsPerRequest'
  > = SUBGRAPH_REQUEST_LIMITS,
): GraphQLSchema {
  // One count per request: Apollo makes one context object per request.
  const spent = new WeakMap<object, { items: number }>();
  const spend = (context: unknown, items: number) => {
    if (!context || typeof context !== 'object') return;
    const budget = spent.get(context) ?? { items: 0 };
    budget.items += items;
    spent.set(context, budget);
    if (budget.items > limits.listItemsPerRequest) throw appError('BAD_USER_INPUT', TOO_MUCH);
  };
  const counted = (value: unknown, context: unknown): unknown => {
    if (Array.isArray(value)) spend(context, value.length);
    return value;
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isListType(getNullableType(field.type))) continue;
      const resolve: Resolver = field.resolve ?? defaultFieldResolver;
      const entities = type.name === 'Query' && field.name === '_entities';
      field.resolve = (source, args, context, info) => {
        if (entities) {
          const representations: unknown = args['representations'];
          if (Array.isArray(representations) && representations.length > limits.entitiesPerRequest)
            throw appError('BAD_USER_INPUT', TOO_MUCH);
        }
        const result = resolve(source, args, context, info);
        return result instanceof Promise
          ? result.then((value: unknown) => counted(value, context))
          : counted(result, context);
      };
    }
  }
  return schema;
}
