import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, execute, parse } from 'graphql';
import { LIVE_FIELDS } from './live-fields';
import { resolveEvent, type RunQuery } from './resolve-event';

const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../../schema/api.graphql'), 'utf8'));
const slot = {
  id: 'slot-1',
  start: '2026-12-01T09:00:00.000Z',
  status: 'busy',
  doctor: {
    name: 'Dr Jane Citizen',
    clinic: { name: 'Fitzroy Medical Centre' },
    freeSlots: (args: { days?: number }) =>
      Array.from({ length: args.days ?? 7 }, (_, n) => ({ id: `free-${n}` })),
  },
};

/** Executes the generated query for real, on the API schema, over a fixed slot. */
function executor(seen: { query: string; variables: Record<string, unknown> }[]): RunQuery {
  return async (query, variables) => {
    seen.push({ query, variables });
    const result = await execute({
      schema,
      document: parse(query),
      variableValues: variables,
      rootValue: { slot: ({ id }: { id: string }) => (id === slot.id ? slot : null) },
    });
    return result;
  };
}

describe('resolveEvent', () => {
  it('answers the payload from the event and the entity through one query, aliases and fragments kept', async () => {
    const seen: { query: string; variables: Record<string, unknown> }[] = [];
    const result = await resolveEvent({
      schema,
      document: parse(`
        subscription Live($from: DateTime!, $to: DateTime!, $days: Int) {
          change: slotAvailabilityChanged(from: $from, to: $to) {
            slotId
            state: status
            slot { ...Where when: start }
          }
        }
        fragment Where on Slot { doctor { name clinic { name } freeSlots(days: $days) { id } } }`),
      operationName: 'Live',
      variables: { from: 'a', to: 'b', days: 2 },
      field: LIVE_FIELDS['slotAvailabilityChanged'] as NonNullable<
        (typeof LIVE_FIELDS)['slotAvailabilityChanged']
      >,
      payload: { slotId: 'slot-1', status: 'busy', occurredAt: 'now' },
      entityId: 'slot-1',
      runQuery: executor(seen),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      change: {
        slotId: 'slot-1',
        state: 'busy',
        slot: {
          when: '2026-12-01T09:00:00.000Z',
          doctor: {
            name: 'Dr Jane Citizen',
            clinic: { name: 'Fitzroy Medical Centre' },
            freeSlots: [{ id: 'free-0' }, { id: 'free-1' }],
          },
        },
      },
    });
    expect(seen).toHaveLength(1);
    // Only the variables the selection uses are declared, so the query is valid on its own.
    expect(seen[0]?.variables).toEqual({ liveEntityId: 'slot-1', days: 2 });
    expect(seen[0]?.query).not.toContain('$from');
  });

  it('asks for what the variables include, when one document serves subscribers with different variables', async () => {
    const document = parse(`
      subscription Live($detail: Boolean!) {
        slotAvailabilityChanged(from: "a", to: "b") { slot { id } slot @include(if: $detail) { start } }
      }`);
    const resolve = (detail: boolean) =>
      resolveEvent({
        schema,
        document,
        operationName: 'Live',
        variables: { detail },
        field: LIVE_FIELDS['slotAvailabilityChanged'] as NonNullable<
          (typeof LIVE_FIELDS)['slotAvailabilityChanged']
        >,
        payload: { slotId: 'slot-1', status: 'busy', occurredAt: 'now' },
        entityId: 'slot-1',
        runQuery: executor([]),
      });
    expect((await resolve(false)).data).toEqual({ slotAvailabilityChanged: { slot: { id: 'slot-1' } } });
    expect((await resolve(true)).data).toEqual({
      slotAvailabilityChanged: { slot: { id: 'slot-1', start: '2026-12-01T09:00:00.000Z' } },
    });
    expect((await resolve(false)).data).toEqual({ slotAvailabilityChanged: { slot: { id: 'slot-1' } } });
  });

  it('asks nothing of the subgraphs when the selection stays on the payload', async () => {
    const seen: { query: string; variables: Record<string, unknown> }[] = [];
    const result = await resolveEvent({
      schema,
      document: parse('subscription { slotAvailabilityChanged(from: "a", to: "b") { slotId status } }'),
      operationName: undefined,
      variables: {},
      field: LIVE_FIELDS['slotAvailabilityChanged'] as NonNullable<
        (typeof LIVE_FIELDS)['slotAvailabilityChanged']
      >,
      payload: { slotId: 'slot-1', status: 'free', occurredAt: 'now' },
      entityId: 'slot-1',
      runQuery: executor(seen),
    });
    expect(result.data).toEqual({ slotAvailabilityChanged: { slotId: 'slot-1', status: 'free' } });
    expect(seen).toHaveLength(0);
  });
});
