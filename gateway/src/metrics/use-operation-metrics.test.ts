import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { operationLabel } from './use-operation-metrics';

const schema = buildSchema(`
  type Query { clinics: [String] availableSlots: [String] }
  type Mutation { bookAppointment: String holdSlot: String }
`);

const label = (text: string): string | null => {
  const document = parse(text);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  );
  return operation ? operationLabel(schema, document, operation) : null;
};

describe('the operation label of graphql_operations_total', () => {
  it("is the root field's schema name: never the caller's operation name or aliases", () => {
    expect(label('query CanaryOperationName { b: clinics c: clinics }')).toBe('clinics');
    expect(label('mutation Canary { canaryAlias: bookAppointment }')).toBe('bookAppointment');
    expect(label('{ __typename }')).toBe('__typename');
    expect(label('{ clinics __typename }')).toBe('clinics');
  });

  it('is `multiple` for several root fields: combinations of fields are series a caller could mint', () => {
    expect(label('{ b: clinics a: availableSlots }')).toBe('multiple');
    expect(label('{ __typename __schema { types { name } } }')).toBe('multiple');
  });

  it('follows fragments and inline fragments at the root', () => {
    expect(
      label(
        'query { ...Root ... on Query { availableSlots } } fragment Root on Query { clinics __typename }',
      ),
    ).toBe('multiple');
    expect(label('query { ...Root } fragment Root on Query { ... on Query { clinics } }')).toBe('clinics');
  });

  it('is null (counted as unknown) for a field the schema does not have or a fragment that is missing', () => {
    expect(label('{ clinics canaryField }')).toBeNull();
    expect(label('{ ...Missing }')).toBeNull();
    expect(label('mutation { clinics }')).toBeNull();
    expect(label('subscription { clinics }')).toBeNull();
  });
});
