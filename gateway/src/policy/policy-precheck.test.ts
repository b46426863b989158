import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import type { Identity } from '@clinic/contracts';
import { policyRefusal, rootCoordinates } from '../hardening/use-policy-precheck';

const schema = buildSchema(`
  type Query { clinics: [String!]!, deadLetters: [String!]!, appointments: [String!]! }
  type NotAllowed { message: String! }
  type Done { ok: Boolean! }
  union EraseResult = Done | NotAllowed
  type Mutation { erasePatient(clientId: ID!): EraseResult!, replayDeadLetter(id: ID!): String }
`);

function check(source: string, identity: Identity | null) {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  )!;
  return policyRefusal(schema, document, operation, identity)?.extensions['code'] ?? null;
}

const patient: Identity = { role: 'Patient', subject: 'c-1' };
const sysadmin: Identity = { role: 'SystemAdministrator', subject: 's-1' };

describe('the gateway policy pre-check', () => {
  it('finds root fields through aliases, fragments and inline fragments', () => {
    const document = parse(
      'query { a: clinics ...F ... on Query { appointments } __typename } fragment F on Query { deadLetters }',
    );
    expect(rootCoordinates(document, document.definitions[0] as OperationDefinitionNode).sort()).toEqual([
      'Query.appointments',
      'Query.clinics',
      'Query.deadLetters',
    ]);
  });

  it('refuses a denied root field before planning, and passes allowed and scoped ones', () => {
    expect(check('{ clinics }', null)).toBeNull();
    expect(check('{ appointments }', patient)).toBeNull();
    expect(check('{ appointments }', null)).toBe('UNAUTHENTICATED');
    expect(check('{ clinics ...F } fragment F on Query { deadLetters }', patient)).toBe('FORBIDDEN');
    expect(check('{ deadLetters }', sysadmin)).toBeNull();
    expect(check('mutation { replayDeadLetter(id: "1") }', patient)).toBe('FORBIDDEN');
  });

  it("leaves a denied mutation with a NotAllowed member to the subgraph's typed answer", () => {
    expect(check('mutation { erasePatient(clientId: "c") { __typename } }', patient)).toBeNull();
    expect(check('mutation { erasePatient(clientId: "c") { __typename } }', null)).toBe('UNAUTHENTICATED');
  });
});
