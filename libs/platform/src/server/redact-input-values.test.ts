import { buildSchema, graphql } from 'graphql';
import { ERROR_CODES } from '@clinic/contracts';
import { clientMessage, redactInputValues } from './redact-input-values';

const schema = buildSchema(`
  input PatientInput { givenName: String! email: String! phone: String! age: Int! }
  type Query { register(input: PatientInput!): Boolean, count(n: Int!): Int }
`);

async function messageFor(source: string, variables: Record<string, unknown>): Promise<string> {
  const result = await graphql({ schema, source, variableValues: variables });
  return result.errors?.[0]?.message ?? '';
}

describe('redactInputValues', () => {
  const register = 'query($input: PatientInput!) { register(input: $input) }';
  const typed = { givenName: 'Theodora', email: 'theodora.k@example.com', phone: '+61255501234' };

  it('keeps the field path and the reason of a missing field, and none of the values typed', async () => {
    const raw = await messageFor(register, { input: typed });
    expect(raw).toContain('theodora.k@example.com');
    const redacted = redactInputValues(raw);
    expect(redacted).toBe(
      'Variable "$input" got an invalid value; Field "age" of required type "Int!" was not provided.',
    );
  });

  it('drops a value repeated at the end of the reason', async () => {
    const raw = await messageFor(register, { input: { ...typed, age: 'forty; two: x' } });
    const redacted = redactInputValues(raw);
    expect(redacted).not.toMatch(/Theodora|example\.com|5550|forty/);
    expect(redacted).toMatch(
      /^Variable "\$input" got an invalid value at "input\.age"; Int cannot represent/,
    );
  });

  it('leaves messages without values alone', () => {
    expect(redactInputValues('Variable "$n" of required type "Int!" was not provided.')).toBe(
      'Variable "$n" of required type "Int!" was not provided.',
    );
    expect(redactInputValues('Cannot query field "nope" on type "Query".')).toBe(
      'Cannot query field "nope" on type "Query".',
    );
  });

  it('drops a literal value echoed by validation', () => {
    expect(redactInputValues('Expected value of type "Int!", found "jane@example.com".')).toBe(
      'Expected value of type "Int!".',
    );
  });
});

describe('clientMessage', () => {
  it('words a parse error by position only', () => {
    expect(
      clientMessage('GRAPHQL_PARSE_FAILED', 'Syntax Error: Expected Name, found String "jane@example.com".', [
        { line: 1, column: 7 },
      ]),
    ).toBe('Syntax error at line 1, column 7.');
  });

  it('cuts the value out of enum and representation errors', async () => {
    const enums = buildSchema('enum Status { active } type Query { set(s: Status): Int }');
    for (const [source, variables] of [
      ['query($s: Status) { set(s: $s) }', { s: 'jane@example.com' }],
      ['{ set(s: "jane@example.com") }', undefined],
      ['{ set(s: janeexamplecom) }', undefined],
    ] as const) {
      const result = await graphql({ schema: enums, source, variableValues: variables });
      const message = clientMessage('BAD_USER_INPUT', result.errors?.[0]?.message ?? '');
      expect(message).not.toMatch(/jane/);
      expect(message).toMatch(/Status/);
    }
  });

  it('falls back to the fixed meaning when a graphql-js wording still quotes a value', () => {
    expect(clientMessage('GRAPHQL_VALIDATION_FAILED', 'Something new: "jane@example.com" is odd.')).toBe(
      ERROR_CODES.GRAPHQL_VALIDATION_FAILED.meaning,
    );
    expect(clientMessage('GRAPHQL_VALIDATION_FAILED', 'Cannot query field "clinicz" on type "Query".')).toBe(
      'Cannot query field "clinicz" on type "Query".',
    );
  });

  it('leaves our services’ own messages alone', () => {
    expect(clientMessage('BAD_USER_INPUT', 'from must be an entry sequence, e.g. "1".')).toBe(
      'from must be an entry sequence, e.g. "1".',
    );
  });
});
