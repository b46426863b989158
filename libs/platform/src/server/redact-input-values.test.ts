import { buildSchema, graphql } from 'graphql';
import { redactInputValues } from './redact-input-values';

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
