import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphQLRequestContext } from '@apollo/server';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../context';
import { cacheable, refreshOf } from './use-response-cache';

const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../../schema/api.graphql'), 'utf8'));
const DAY = 86_400_000;

function request(query: string, variables: Record<string, unknown>): GraphQLRequestContext<GatewayContext> {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return {
    schema,
    document,
    operation,
    queryHash: 'hash-of-the-text',
    request: { query, variables },
    contextValue: { identity: null, correlationId: 'c' },
  } as unknown as GraphQLRequestContext<GatewayContext>;
}

describe('which requests the cache keeps, and under what key', () => {
  it('keys on declared variables only: made-up ones neither make new entries nor grow the key', () => {
    const query = '{ clinics { id } }';
    const plain = cacheable(request(query, {}));
    const padded = cacheable(request(query, { x: 'y'.repeat(100_000) }));
    expect(padded?.key).toBe(plain?.key);
    expect(plain?.key.length).toBeLessThan(64);
  });

  it('runs a refresh with the declared variables only, and counts the text and variables it holds', async () => {
    const query = 'query($id: ID!) { slot(id: $id) { id } }';
    const { request: sent, operation } = request(query, { id: 's1', pad: 'x'.repeat(100_000) });
    const ran: unknown[] = [];
    const refresh =
      operation &&
      refreshOf(async (again) => void ran.push(again), { ...sent, operationName: 'Mine' }, operation);
    // Two bytes a character: what a string of any characters may take in V8.
    expect(refresh?.bytes).toBe(2 * (query.length + '{"id":"s1"}'.length));
    await refresh?.run();
    expect(ran).toEqual([{ query, variables: { id: 's1' }, operationName: 'Mine' }]);
  });

  it('keeps nothing for a declared variable too long to be worth it, and keeps one just inside the limit', () => {
    const query = 'query($id: ID!) { slot(id: $id) { id } }';
    // {"id":"…"} is 9 characters around the id: 2,039 of them make exactly 2,048.
    expect(cacheable(request(query, { id: 'a'.repeat(2_039) }))).not.toBeNull();
    expect(cacheable(request(query, { id: 'a'.repeat(2_040) }))).toBeNull();
  });

  it("reads a variable's default as execution does: a 14-day default is a 14-day window", () => {
    const query = 'query($id: ID!, $days: Int = 14) { doctor(id: $id) { freeSlots(days: $days) { id } } }';
    const found = cacheable(request(query, { id: 'd' }));
    const [window] = found?.dependencies ?? [];
    expect((window?.to ?? 0) - (window?.from ?? 0)).toBe(14 * DAY + 2 * DAY);
  });

  it('keeps nothing that asks for more slot windows than an event may scan, and keeps 32', () => {
    const aliases = (count: number) =>
      Array.from(
        { length: count },
        (_, i) => `a${i}: freeSlots(from: "2027-01-01T00:00:00Z", to: "2027-01-02T00:00:00Z") { id }`,
      );
    expect(cacheable(request(`{ ${aliases(32).join(' ')} }`, {}))).not.toBeNull();
    expect(cacheable(request(`{ ${aliases(33).join(' ')} }`, {}))).toBeNull();
    const fields = Array.from(
      { length: 40 },
      (_, i) => `a${i}: freeSlots(from: "2027-01-01T00:00:00Z", to: "2027-01-02T00:00:00Z") { id }`,
    );
    expect(cacheable(request(`{ ${fields.join(' ')} }`, {}))).toBeNull();
  });
});
