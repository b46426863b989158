import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { rootFields } from './use-operation-metrics';

const schema = buildSchema(`
  type Query { clinics: [String] availableSlots: [String] }
  type Mutation { bookAppointment: String holdSlot: String }
`);

const label = (text: string): string | null => {
  const document = parse(text);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  );
  return operation ? rootFields(schema, document, operation) : null;
};

describe('the operation label of graphql_operations_total', () => {
  it("is the root fields' schema names, sorted: never the caller's operation name or aliases", () => {
    expect(label('query CanaryOperationName { b: clinics a: availableSlots clinics }')).toBe(
      'availableSlots,clinics',
    );
    expect(label('mutation Canary { canaryAlias: bookAppointment }')).toBe('bookAppointment');
  });

  it('follows fragments and inline fragments at the root', () => {
    expect(
      label(
        'query { ...Root ... on Query { availableSlots } } fragment Root on Query { clinics __typename }',
      ),
    ).toBe('__typename,availableSlots,clinics');
  });

  it('is null (counted as unknown) for a field the schema does not have or a fragment that is missing', () => {
    expect(label('{ clinics canaryField }')).toBeNull();
    expect(label('{ ...Missing }')).toBeNull();
    expect(label('mutation { clinics }')).toBeNull();
    expect(label('subscription { clinics }')).toBeNull();
  });
});
