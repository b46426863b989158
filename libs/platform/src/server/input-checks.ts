import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  TypeInfo,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type DefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';

/**
 * The earliest and latest years an instant or a date may name. Every date this product handles (slots,
 * appointments, audit entries, dates of birth of living patients) lies well inside; beyond it JavaScript
 * dates and PostgreSQL disagree (PostgreSQL has no year 0, JavaScript reaches only year 275760).
 */
export const YEAR_RANGE = { first: 1900, last: 9999 } as const;

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < YEAR_RANGE.first || year > YEAR_RANGE.last || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An RFC 3339 date-time with an offset, naming a real calendar day and time within YEAR_RANGE. */
export function isInstant(value: unknown): value is string {
  const parts = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as number[];
  if (!isCalendarDate(year ?? 0, month ?? 0, day ?? 0)) return false;
  if ((hour ?? 24) > 23 || (minute ?? 60) > 59 || (second ?? 60) > 59) return false;
  if (parts[7] && (Number(parts[8]) > 23 || Number(parts[9]) > 59)) return false;
  return !Number.isNaN(Date.parse(value as string));
}

/** A calendar date, YYYY-MM-DD, that exists, within YEAR_RANGE. */
export function isLocalDate(value: unknown): value is string {
  const parts = typeof value === 'string' ? DATE.exec(value) : null;
  return parts !== null && isCalendarDate(Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

/** The scalars whose format is checked, and what a caller is told when a value does not fit. */
const FORMATS: Record<string, { accepts: (value: unknown) => boolean; expected: string }> = {
  DateTime: {
    accepts: isInstant,
    expected: `an RFC 3339 instant with an offset, e.g. 2026-12-01T09:00:00Z, in the years ${YEAR_RANGE.first} to ${YEAR_RANGE.last}`,
  },
  LocalDate: {
    accepts: isLocalDate,
    expected: `a date that exists, YYYY-MM-DD, in the years ${YEAR_RANGE.first} to ${YEAR_RANGE.last}`,
  },
};

const NUL = 'text without the NUL character';

function badInput(message: string, node?: ASTNode): GraphQLError {
  // didResolveOperation errors are answered 500 unless they say otherwise; this is the caller's mistake.
  return new GraphQLError(message, {
    ...(node ? { nodes: [node] } : {}),
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

/** Why a value typed for `type` is refused, or null when its format is fine (types are graphql-js's job). */
function problemIn(type: GraphQLInputType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items: unknown[] = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const problem = problemIn(nullable.ofType, item);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== 'object' || Array.isArray(value)) return null;
    const fields = nullable.getFields();
    for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      const problem = field ? problemIn(field.type, inner) : null;
      if (problem) return problem;
    }
    return null;
  }
  const format = isScalarType(nullable) ? FORMATS[nullable.name] : undefined;
  if (format && !format.accepts(value)) return format.expected;
  if (typeof value === 'string' && value.includes('\u0000')) return NUL;
  return null;
}

function literalProblem(type: GraphQLInputType | null | undefined, node: ValueNode): string | null {
  if (!type || node.kind === Kind.VARIABLE || node.kind === Kind.NULL) return null;
  const named = getNamedType(type);
  const format = FORMATS[named.name];
  // Lists and objects are entered node by node; here only the leaf itself counts.
  if (node.kind === Kind.LIST || node.kind === Kind.OBJECT) return null;
  if (format && !(node.kind === Kind.STRING && format.accepts(node.value))) return format.expected;
  if (node.kind === Kind.STRING && node.value.includes('\u0000')) return NUL;
  return null;
}

/**
 * Checks every value a caller typed into an operation, as a variable or inline, against the formats the
 * schema's scalars promise (DateTime, LocalDate) and for NUL characters, which no text field accepts
 * (PostgreSQL refuses them). Answers the first problem as a BAD_USER_INPUT error naming the variable or
 * argument and the expected format, never the value; null when there is none. Types themselves are left
 * to graphql-js's coercion.
 */
export function checkOperationInput(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
): GraphQLError | null {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
      const name = variable.variable.name.value;
      const problem = type ? problemIn(type, variables?.[name]) : null;
      if (problem) return badInput(`Variable $${name} has an invalid value: expected ${problem}.`, variable);
    }
  }
  const literal = literalProblemIn(schema, document);
  return literal && badInput(literal.message, literal.node);
}

interface LiteralProblem {
  message: string;
  node: ValueNode;
}

/**
 * Literal problems by schema and document. They depend on nothing else, and Apollo Server hands every
 * request with the same text the same parsed document (its document store), so the walk with type
 * information, a visible share of each request's CPU (profiled), runs once per document. Weak maps: a
 * document or a replaced schema leaves with its last user.
 */
const literalProblems = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, LiteralProblem | null>>();

function literalProblemIn(schema: GraphQLSchema, document: DocumentNode): LiteralProblem | null {
  let bySchema = literalProblems.get(schema);
  if (!bySchema) literalProblems.set(schema, (bySchema = new WeakMap()));
  const known = bySchema.get(document);
  if (known !== undefined) return known;
  const found = findLiteralProblem(schema, document);
  bySchema.set(document, found);
  return found;
}

function findLiteralProblem(schema: GraphQLSchema, document: DocumentNode): LiteralProblem | null {
  const typeInfo = new TypeInfo(schema);
  let found: LiteralProblem | null = null;
  const enter = (node: ValueNode) => {
    if (found) return;
    const problem = literalProblem(typeInfo.getInputType(), node);
    if (!problem) return;
    const argument = typeInfo.getArgument();
    const field = typeInfo.getFieldDef();
    found = {
      message:
        argument && field
          ? `Argument ${argument.name} of ${field.name} has an invalid value: expected ${problem}.`
          : `A value in the operation is invalid: expected ${problem}.`,
      node,
    };
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      StringValue: enter,
      IntValue: enter,
      FloatValue: enter,
      BooleanValue: enter,
      EnumValue: enter,
    }),
  );
  return found;
}

/**
 * The schema's DateTime and LocalDate with the same format checks at parse time, so a subgraph refuses a
 * bad value as the caller's mistake even when it did not come through the gateway's check. `base` keeps
 * a service's own parsing (DateTime to a Date) and serialisation.
 */
export function strictScalar(name: 'DateTime' | 'LocalDate', base?: GraphQLScalarType): GraphQLScalarType {
  const format = FORMATS[name] as { accepts: (value: unknown) => boolean; expected: string };
  const refuse = () =>
    new GraphQLError(`A ${name} must be ${format.expected}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  const config = base?.toConfig();
  return new GraphQLScalarType({
    ...config,
    name,
    parseValue: (value) => {
      if (!format.accepts(value)) throw refuse();
      return config ? config.parseValue?.(value) : value;
    },
    parseLiteral: (node, variables) => {
      if (node.kind !== Kind.STRING || !format.accepts(node.value)) throw refuse();
      return config ? config.parseLiteral?.(node, variables) : node.value;
    },
  });
}

/**
 * An Apollo plugin that runs checkOperationInput once the operation is known, before any planning or
 * resolver: the gateway's edge check, and each subgraph's own (defence in depth). An operation name the
 * document does not have is refused here too.
 */
export function useInputChecks(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operation }) {
          // Apollo passes an operation name the document lacks on to the gateway's planner, whose
          // error (a 500) quotes the name; refused here as the caller's mistake, without it.
          if (!operation) {
            throw new GraphQLError('Name the operation to run; the document has no such one.', {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
            });
          }
          const error = checkOperationInput(schema, document, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}

/** A service's resolvers with strict DateTime and LocalDate for those scalars its SDL declares. */
export function withStrictScalars<T extends Record<string, unknown>>(
  typeDefs: DocumentNode,
  resolvers: T,
): T {
  const declared = new Set(
    typeDefs.definitions
      .filter((definition: DefinitionNode) => definition.kind === Kind.SCALAR_TYPE_DEFINITION)
      .map((definition) => ('name' in definition && definition.name ? definition.name.value : '')),
  );
  const strict: Record<string, unknown> = { ...resolvers };
  for (const name of ['DateTime', 'LocalDate'] as const) {
    if (!declared.has(name)) continue;
    const base = resolvers[name];
    strict[name] = strictScalar(name, base instanceof GraphQLScalarType ? base : undefined);
  }
  return strict as T;
}
