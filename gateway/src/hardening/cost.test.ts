import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  getOperationAST,
  isListType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { actualCost, COST_FACTOR, costLimitRule, costModelFromSupergraph, estimateCost } from './cost';
import { SUBGRAPH_REQUEST_LIMITS } from '@clinic/platform';
import { OPERATION_LIMITS } from './use-armor';

const schemaDir = path.resolve(__dirname, '..', '..', '..', 'schema');
const schema = buildSchema(readFileSync(path.join(schemaDir, 'api.graphql'), 'utf8'));
const model = costModelFromSupergraph(readFileSync(path.join(schemaDir, 'supergraph.graphql'), 'utf8'));

const estimate = (query: string) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return estimateCost(schema, model, document, operation);
};
const refusals = (query: string) =>
  validate(schema, parse(query), [...specifiedRules, costLimitRule(() => model, OPERATION_LIMITS.cost)]).map(
    (error) => error.message,
  );

/** The costly query of docs/security.md: twelve aliases of a list of lists of lists, under every other limit. */
const NESTED = `clinics { doctors { freeSlots(days: 31) { doctor { clinic { doctors { freeSlots(days: 31) { id } } } } } } }`;
const COSTLY = `{ ${Array.from({ length: 12 }, (_, i) => `a${i}: ${NESTED}`).join(' ')} }`;

describe('the cost estimate', () => {
  it('gives every list of the public schema a size', () => {
    const unsized: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (!isListType(getNullableType(field.type))) continue;
        const declared = model.fields.get(`${type.name}.${field.name}`)?.listSize;
        // A connection's lists are sized by the field that returns the connection.
        const sizedByParent = [...model.fields.values()].some((cost) =>
          cost.listSize?.sizedFields?.includes(field.name),
        );
        if (declared?.assumedSize === undefined && !sizedByParent) unsized.push(`${type.name}.${field.name}`);
      }
    }
    expect(unsized).toEqual([]);
  });

  it('multiplies nested lists by their sizes', () => {
    expect(estimate('{ clinics { name } }')).toBe(20);
    expect(estimate('{ clinics { doctors { name } } }')).toBe(20 * (1 + 20));
    expect(estimate('{ clinics { doctors { freeSlots(days: 31) { id } } } }')).toBe(
      20 * (1 + 20 * (1 + 500)),
    );
  });

  it('takes a list size from its slicing argument: a literal, the default, or the largest for a variable', () => {
    expect(estimate('{ appointments(first: 3) { id } }')).toBe(3);
    expect(estimate('{ appointments { id } }')).toBe(50);
    expect(estimate('query($n: Int) { appointments(first: $n) { id } }')).toBe(200);
    expect(estimate('{ appointments(first: 2) { slot { doctor { name } } } }')).toBe(2 * 3);
  });

  it('sizes a connection’s edges by the field that returns it', () => {
    const query = `{ availableSlots(filter: { fromDate: "2026-12-01", toDate: "2026-12-02" }, first: 10) {
      edges { node { id } } pageInfo { hasNextPage } } }`;
    expect(estimate(query)).toBe(1 + 10 * (1 + 1) + 1);
  });

  it('counts @cost weights and every alias and fragment', () => {
    expect(estimate('{ me { profile { email } } }')).toBe(1 + 5);
    expect(estimate('{ a: clinics { name } b: clinics { name } }')).toBe(40);
    expect(estimate('{ clinics { ...C } } fragment C on Clinic { doctors { id } }')).toBe(20 * 21);
  });

  it('refuses the costly nested query without naming the limit, and lets normal ones through', () => {
    expect(refusals(COSTLY)).toEqual(['The operation would cost too much to run.']);
    expect(refusals(`{ ${NESTED} }`)).toEqual(['The operation would cost too much to run.']);
    expect(refusals('{ clinics { name doctors { name } } }')).toEqual([]);
    expect(
      refusals(
        'query($from: DateTime!, $to: DateTime!) { freeSlots(from: $from, to: $to, first: 200) { id doctor { name clinic { name } } } }',
      ),
    ).toEqual([]);
    // A subscription's selection is resolved on every event: it gets the same rule.
    expect(
      refusals(
        `subscription($from: DateTime!, $to: DateTime!) { slotAvailabilityChanged(from: $from, to: $to) {
          slot { doctor { freeSlots(days: 31) { doctor { clinic { doctors { freeSlots(days: 31) { id } } } } } } } } }`,
      ),
    ).toEqual(['The operation would cost too much to run.']);
  });

  it('lets through nothing a subgraph’s request budget would refuse', () => {
    // Every object a subgraph yields is an object of the response, which the estimate bounds.
    const most = OPERATION_LIMITS.cost * COST_FACTOR;
    expect(most).toBeLessThanOrEqual(SUBGRAPH_REQUEST_LIMITS.entitiesPerRequest);
    expect(most).toBeLessThanOrEqual(SUBGRAPH_REQUEST_LIMITS.listItemsPerRequest);
  });

  it('refuses a fragment fan-out of lists', () => {
    const fragments = Array.from(
      { length: 12 },
      (_, i) => `fragment F${i} on Doctor { clinic { doctors { ...F${i + 1} ...F${i + 1} } } }`,
    ).join('\n');
    const query = `{ clinics { doctors { ...F0 } } } ${fragments} fragment F12 on Doctor { id }`;
    expect(refusals(query)).toContain('The operation would cost too much to run.');
  });
});

describe('the actual cost', () => {
  const measure = (query: string, data: unknown) => {
    const document = parse(query);
    const operation = getOperationAST(document);
    if (!operation) throw new Error('no operation');
    return actualCost(schema, model, document, operation, data);
  };

  it('counts the objects a response holds, weighed like the estimate', () => {
    const query = '{ clinics { name doctors { name } } me { profile { email } } }';
    const data = {
      clinics: [
        { name: 'A', doctors: [{ name: 'x' }, { name: 'y' }] },
        { name: 'B', doctors: [] },
      ],
      me: { profile: null },
    };
    expect(measure(query, data)).toBe(2 + 2 + 1);
    expect(measure(query, data)).toBeLessThanOrEqual(estimate(query));
  });

  it('counts a response key once however often the operation selects it', () => {
    const query = '{ clinics { name } clinics { doctors { id } } }';
    expect(measure(query, { clinics: [{ name: 'A', doctors: [{ id: '1' }] }] })).toBe(2);
  });

  it('reads @listSize only where it sizes a list: on a list field, or on a connection with sizedFields', () => {
    const misplaced: string[] = [];
    for (const [key, cost] of model.fields) {
      const [typeName, fieldName] = key.split('.') as [string, string];
      const type = schema.getType(typeName);
      const field = type && isObjectType(type) ? type.getFields()[fieldName] : undefined;
      if (!field) continue;
      const list = isListType(getNullableType(field.type));
      const connection = cost.listSize?.sizedFields?.every((name) => {
        const named = getNamedType(field.type);
        const sized = isObjectType(named) ? named.getFields()[name] : undefined;
        return sized && isListType(getNullableType(sized.type));
      });
      if (cost.listSize && !list && !connection) misplaced.push(key);
    }
    expect(misplaced).toEqual([]);
  });
});

describe('walking a fragment fan-out', () => {
  // Each fragment spreads the next twice: 2^40 paths, every one of them free of cost.
  const fragments = Array.from(
    { length: 40 },
    (_, i) => `fragment F${i} on Query { __typename ...F${i + 1} ...F${i + 1} }`,
  ).join('\n');
  const query = `{ ...F0 } ${fragments} fragment F40 on Query { __typename }`;

  it('estimates each fragment once', () => {
    expect(estimate(query)).toBe(0);
  });

  it('measures each fragment once per object', () => {
    const document = parse(query);
    const operation = getOperationAST(document);
    if (!operation) throw new Error('no operation');
    expect(actualCost(schema, model, document, operation, { __typename: 'Query' })).toBe(0);
  });
});
