import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { applyRequestBudget, MAX_REPRESENTATION_BYTES, SUBGRAPH_REQUEST_LIMITS } from './request-budget';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Doctor @key(fields: "id") { id: ID! slots: [Int!]! }
  type Query { doctors(n: Int!): [Doctor!]! }
`);

const schema = applyRequestBudget(
  buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: {
        doctors: (_: unknown, { n }: { n: number }) => Array.from({ length: n }, (_, i) => ({ id: `${i}` })),
      },
      Doctor: {
        __resolveReference: (reference: { id: string }) => reference,
        slots: () => Promise.resolve([1, 2, 3]),
      },
    },
  }),
  { entitiesPerRequest: 5, listItemsPerRequest: 20 },
);

const run = (source: string, variableValues?: Record<string, unknown>) =>
  execute({
    schema,
    document: parse(source),
    contextValue: {},
    ...(variableValues ? { variableValues } : {}),
  });

describe('a subgraph request budget', () => {
  it('answers within the budget', async () => {
    const result = await run('{ doctors(n: 4) { id slots } }');
    expect(result.errors).toBeUndefined();
  });

  it('refuses the list that passes the request’s item budget, with a coded error naming no number', async () => {
    // 5 doctors and 3 slots each: 20 items; 6 doctors pass it.
    expect((await run('{ doctors(n: 5) { slots } }')).errors).toBeUndefined();
    const result = await run('{ doctors(n: 6) { slots } }');
    expect(result.errors?.[0]?.extensions['code']).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).not.toMatch(/\d/);
  });

  it('counts each request on its own', async () => {
    for (let i = 0; i < 3; i++) expect((await run('{ doctors(n: 5) { slots } }')).errors).toBeUndefined();
  });

  it('refuses an _entities call with too many representations before resolving any', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Doctor { id } } }';
    const reps = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Doctor', id: `${i}` }));
    expect((await run(query, { r: reps(5) })).errors).toBeUndefined();
    const refused = await run(query, { r: reps(6) });
    expect(refused.errors?.[0]?.extensions['code']).toBe('BAD_USER_INPUT');
  });

  it('reads a body that holds the largest entity fetch the budget allows', () => {
    const uuid = '6f1c0a52-1b1e-4c3f-9a57-8f2d7f0e4b11';
    const largest = JSON.stringify({ __typename: 'Appointment', id: uuid, clientId: uuid });
    expect(largest.length + 1).toBeLessThanOrEqual(MAX_REPRESENTATION_BYTES);
    // The representations, and a megabyte for the operation's text (the gateway's own is under 100 KB).
    expect(
      SUBGRAPH_REQUEST_LIMITS.entitiesPerRequest * MAX_REPRESENTATION_BYTES + 1024 * 1024,
    ).toBeLessThanOrEqual(SUBGRAPH_REQUEST_LIMITS.bodyLimitBytes);
  });
});
