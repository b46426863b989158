import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import type {
  BaseContext,
  GraphQLRequestContext,
  GraphQLRequestContextWillSendResponse,
  GraphQLRequestListener,
} from '@apollo/server';
import { metrics } from '@clinic/platform';
import { operationLabel, useOperationMetrics } from './use-operation-metrics';

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

describe('the outcome label of graphql_operations_total', () => {
  const outcomeOf = async (codes: (string | undefined)[]): Promise<string | undefined> => {
    metrics.graphqlOperations.reset();
    const listener = (await useOperationMetrics().requestDidStart?.({
      request: { http: {} },
    } as unknown as GraphQLRequestContext<BaseContext>)) as GraphQLRequestListener<BaseContext>;
    const document = parse('{ clinics }');
    await listener.willSendResponse?.({
      document,
      operation: document.definitions[0],
      schema,
      errors: undefined,
      response: {
        body: {
          kind: 'single',
          singleResult: { errors: codes.map((code) => ({ message: 'x', extensions: code ? { code } : {} })) },
        },
      },
    } as unknown as GraphQLRequestContextWillSendResponse<BaseContext>);
    const [sample] = (await metrics.graphqlOperations.get()).values;
    return sample?.labels.outcome as string | undefined;
  };

  it('is a failure on our side when the answer has one, wherever it comes in the errors', async () => {
    expect(await outcomeOf(['FORBIDDEN', 'SERVICE_UNAVAILABLE'])).toBe('SERVICE_UNAVAILABLE');
    expect(await outcomeOf(['BAD_USER_INPUT', undefined])).toBe('INTERNAL_SERVER_ERROR');
  });

  it("is otherwise the first error's code, or ok", async () => {
    expect(await outcomeOf(['FORBIDDEN', 'BAD_USER_INPUT'])).toBe('FORBIDDEN');
    expect(await outcomeOf([])).toBe('ok');
  });
});
