import {
  buildSchema,
  graphql,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { checkOperationInput, isInstant, isLocalDate, withStrictScalars } from './input-checks';

describe('isInstant', () => {
  it.each([
    '2026-12-01T09:00:00Z',
    '2026-12-01T09:00:00.123Z',
    '2026-12-01T09:00:00.123456789+10:30',
    '2028-02-29T23:59:59-05:00',
    '1900-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
  ])('accepts %s', (value) => expect(isInstant(value)).toBe(true));

  it.each([
    '2026-02-30T00:00:00Z',
    '2027-02-29T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '1899-12-31T23:59:59Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T09:00:60Z',
    '2026-12-01T09:00:00',
    '2026-12-01',
    'yesterday',
    '2026-12-01T09:00:00+25:00',
    '2026-12-01T09:00:00Z\u0000',
    1764579600000,
  ])('refuses %s', (value) => expect(isInstant(value)).toBe(false));
});

describe('isLocalDate', () => {
  it('accepts real dates and refuses the rest', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    for (const value of ['2026-02-30', '0000-01-01', '10000-01-01', 'tomorrow', '2026-1-1', 20261201])
      expect(isLocalDate(value)).toBe(false);
  });
});

const schema = buildSchema(`
  scalar DateTime
  scalar LocalDate
  input Filter { from: DateTime, days: [LocalDate!], note: String }
  type Query { find(at: DateTime, filter: Filter, id: ID, first: Int): Boolean }
`);

const problem = (source: string, variables?: Record<string, unknown>) =>
  checkOperationInput(schema, parse(source), variables);

describe('checkOperationInput', () => {
  it('passes good values, and leaves wrong types to graphql-js', () => {
    expect(problem('{ find(at: "2026-12-01T09:00:00Z", filter: { days: ["2026-12-01"] }) }')).toBeNull();
    expect(
      problem('query($f: Filter) { find(filter: $f) }', { f: { days: '2026-12-01', note: 'ok' } }),
    ).toBeNull();
    expect(problem('query($n: Int) { find(first: $n) }', { n: 'not a number' })).toBeNull();
  });

  it('names the variable or argument and the expected format, never the value', () => {
    const variable = problem('query($f: Filter) { find(filter: $f) }', {
      f: { days: ['2026-12-01', 'jane@example.com'] },
    });
    expect(variable?.message).toBe(
      'Variable $f has an invalid value: expected a date that exists, YYYY-MM-DD, in the years 1900 to 9999.',
    );
    expect(variable?.extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
    const literal = problem('{ find(filter: { from: "2026-02-30T00:00:00Z" }) }');
    expect(literal?.message).toMatch(/^Argument filter of find has an invalid value: expected an RFC 3339/);
    expect(problem('{ find(at: 5) }')?.message).toMatch(/^Argument at of find/);
  });

  it('refuses a NUL in any text, typed inline or as a variable', () => {
    expect(problem('{ find(id: "a\\u0000b") }')?.message).toBe(
      'Argument id of find has an invalid value: expected text without the NUL character.',
    );
    expect(problem('query($f: Filter) { find(filter: $f) }', { f: { note: 'x\u0000' } })?.message).toBe(
      'Variable $f has an invalid value: expected text without the NUL character.',
    );
  });
});

describe('checkOperationInput on a document it has checked before', () => {
  it('answers the same each time, with a fresh error, and checks each request’s variables anew', () => {
    const document = parse(
      'query($f: Filter) { find(filter: $f, at: "2026-02-30T00:00:00Z") } query Ok { find(id: "a") }',
    );
    const first = checkOperationInput(schema, document, {});
    const again = checkOperationInput(schema, document, {});
    expect(again).not.toBe(first);
    expect(again?.message).toBe(first?.message);
    expect(again?.nodes).toEqual(first?.nodes);
    expect(first?.message).toMatch(/^Argument at of find has an invalid value/);
    // A variable's problem is found first, whatever was remembered of the document's literals.
    expect(checkOperationInput(schema, document, { f: { note: '\u0000' } })?.message).toMatch(
      /^Variable \$f/,
    );

    const clean = parse('query($f: Filter) { find(filter: $f) }');
    expect(checkOperationInput(schema, clean, { f: { note: 'ok' } })).toBeNull();
    expect(checkOperationInput(schema, clean, { f: { days: ['2026-02-30'] } })?.message).toMatch(
      /^Variable \$f has an invalid value/,
    );
    expect(checkOperationInput(schema, clean, { f: { note: 'ok' } })).toBeNull();
  });

  it('checks the same document anew against another schema', () => {
    const document = parse('{ find(at: "2026-12-01") }');
    const loose = buildSchema('scalar DateTime type Query { find(at: String): Boolean }');
    expect(checkOperationInput(loose, document, {})).toBeNull();
    expect(checkOperationInput(schema, document, {})?.message).toMatch(/^Argument at of find/);
    expect(checkOperationInput(loose, document, {})).toBeNull();
  });
});

describe('strict scalars', () => {
  it('refuse an impossible value as the caller’s mistake when it is parsed, keeping the base parsing', async () => {
    const typeDefs = parse(
      'scalar DateTime scalar LocalDate type Query { at(t: DateTime, d: LocalDate): String }',
    );
    const base = new GraphQLScalarType({ name: 'DateTime', parseValue: (value) => new Date(String(value)) });
    const resolvers: Record<string, unknown> = withStrictScalars(typeDefs, { DateTime: base });
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          at: {
            type: GraphQLString,
            args: {
              t: { type: resolvers['DateTime'] as GraphQLScalarType },
              d: { type: resolvers['LocalDate'] as GraphQLScalarType },
            },
            resolve: (_, args: { t?: Date }) => args.t?.toISOString() ?? null,
          },
        },
      }),
    });
    const run = async (source: string, variableValues?: Record<string, unknown>) =>
      graphql({ schema, source, variableValues });
    const good = await run('query($t: DateTime) { at(t: $t) }', { t: '2026-02-28T00:00:00Z' });
    expect(good.data).toEqual({ at: '2026-02-28T00:00:00.000Z' });
    const bad = await run('query($t: DateTime) { at(t: $t) }', { t: '2026-02-30T00:00:00Z' });
    expect(bad.errors?.[0]?.message).toMatch(/A DateTime must be an RFC 3339 instant/);
    const date = await run('{ at(d: "0000-01-01") }');
    expect(date.errors?.[0]?.message).toMatch(/A LocalDate must be a date that exists/);
  });
});
