import { buildSchema, graphql } from 'graphql';
import type { Identity } from '@clinic/contracts';
import { applyPolicy } from './use-policy';

// A miniature of the real schemas, with the coordinates' real names so the real table applies.
const schema = applyPolicy(
  buildSchema(`
    type Query { me: Patient, clinics: [String!]!, deadLetters: [String!]!, auditTrail: [String!]!, _service: String, unlisted: String }
    type Patient { clientId: ID!, profile: String }
    type NotAllowed { message: String! }
    type PatientErased { clientId: ID! }
    union ErasePatientResult = PatientErased | NotAllowed
    type Mutation { erasePatient(clientId: ID!): ErasePatientResult!, replayDeadLetter(id: ID!): String }
  `),
);

const resolvers = {
  me: () => ({ clientId: 'c-1', profile: 'details' }),
  clinics: () => ['Bondi'],
  deadLetters: () => ['letter'],
  auditTrail: () => ['entry'],
  _service: () => 'sdl',
  unlisted: () => 'secret',
  erasePatient: () => ({ __typename: 'PatientErased', clientId: 'c-1' }),
  replayDeadLetter: () => 'replayed',
};

async function run(query: string, identity: Identity | null) {
  const result = await graphql({ schema, source: query, rootValue: resolvers, contextValue: { identity } });
  return { data: result.data, codes: result.errors?.map((error) => error.extensions['code']) ?? [] };
}

const patient: Identity = { role: 'Patient', subject: 'c-1' };
const doctor: Identity = { role: 'Doctor', subject: 'd-1', clinicId: 'k-1' };
const sysadmin: Identity = { role: 'SystemAdministrator', subject: 's-1' };

describe('the policy transform', () => {
  it('lets allowed and own callers through to the resolver', async () => {
    expect(await run('{ me { clientId profile } clinics }', patient)).toEqual({
      data: { me: { clientId: 'c-1', profile: 'details' }, clinics: ['Bondi'] },
      codes: [],
    });
    expect((await run('{ clinics }', null)).data).toEqual({ clinics: ['Bondi'] });
    expect((await run('{ deadLetters }', sysadmin)).data).toEqual({ deadLetters: ['letter'] });
  });

  it('asks an anonymous caller to sign in and forbids a denied role, before the resolver', async () => {
    expect((await run('{ me { clientId } }', null)).codes).toEqual(['UNAUTHENTICATED']);
    expect((await run('{ deadLetters }', doctor)).codes).toEqual(['FORBIDDEN']);
    expect((await run('mutation { replayDeadLetter(id: "1") }', patient)).codes).toEqual(['FORBIDDEN']);
  });

  it('denies a protected field to a role the table denies, leaving the rest of the answer', async () => {
    const sysadminMe = await run('{ me { clientId profile } }', sysadmin);
    expect(sysadminMe.codes).toEqual(['FORBIDDEN']);
    expect(sysadminMe.data).toEqual({ me: null });
  });

  it("answers a denied mutation with its union's NotAllowed member", async () => {
    const result = await run(
      'mutation { erasePatient(clientId: "c-1") { __typename ... on NotAllowed { message } } }',
      doctor,
    );
    expect(result.data?.['erasePatient']).toMatchObject({ __typename: 'NotAllowed' });
    expect((await run('mutation { erasePatient(clientId: "c-1") { __typename } }', null)).codes).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('refuses an operation missing from the table, and leaves federation fields alone', async () => {
    expect((await run('{ unlisted }', sysadmin)).codes).toEqual(['FORBIDDEN']);
    expect((await run('{ _service }', null)).data).toEqual({ _service: 'sdl' });
  });

  it('refuses a clinic-scoped row to a staff token without a clinic', async () => {
    const manager: Identity = { role: 'PracticeManager', subject: 'm-1', clinicId: 'k-1' };
    expect((await run('{ auditTrail }', manager)).data).toEqual({ auditTrail: ['entry'] });
    const { clinicId: _dropped, ...managerWithoutClinic } = manager;
    expect((await run('{ auditTrail }', managerWithoutClinic)).codes).toEqual(['FORBIDDEN']);
  });
});
