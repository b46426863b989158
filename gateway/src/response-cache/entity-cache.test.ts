import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EventEnvelope, Identity } from '@clinic/contracts';
import fc from 'fast-check';
import { buildSchema } from 'graphql';
import { eventEffect } from './event-effects';
import type { EntitiesResponse } from '../federation/deduplicate-representations';
import { EntityCache, ENTITY_CACHED_SUBGRAPHS } from './entity-cache';
import { ResponseCache } from './response-cache';

const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../../schema/api.graphql'), 'utf8'));
const DOCTORS: string[] = ['d0', 'd1', 'd2', 'd3'].map(() => randomUUID());
const CLINIC = randomUUID();

/** As the query planner writes the doctors' part of an availability page. */
const DOCTORS_OF_A_PAGE =
  'query Page__doctors__1($representations:[_Any!]!){_entities(representations:$representations){...on Doctor{name specialty status clinic{id name timeZone}}}}';

const representation = (doctor: number) => ({ __typename: 'Doctor', id: DOCTORS[doctor] as string });

/** The doctors subgraph: answers from its rows as they are when asked, and records what it was asked. */
class DoctorsSubgraph {
  names = DOCTORS.map((_, index) => `Dr ${index}`);
  asked: string[][] = [];
  failing = new Set<string>();
  /** While set, answers wait for it (a fetch in flight while something else happens). */
  hold: Promise<void> | null = null;

  send = (representations: unknown[]): Promise<EntitiesResponse> => {
    const ids = representations.map((item) => (item as { id: string }).id);
    this.asked.push(ids);
    // Read now, as a database would be: what changes while the answer travels is not in it.
    const errors = ids.flatMap((id, index) =>
      this.failing.has(id) ? [{ message: 'boom', path: ['_entities', index, 'name'] }] : [],
    );
    const answer: EntitiesResponse = {
      data: {
        _entities: ids.map((id) =>
          this.failing.has(id)
            ? null
            : {
                name: this.names[DOCTORS.indexOf(id)],
                specialty: 'GP',
                status: 'active',
                clinic: { id: CLINIC, name: 'Clinic', timeZone: 'Australia/Sydney' },
              },
        ),
      },
      ...(errors.length > 0 ? { errors } : {}),
    };
    const held = this.hold;
    return held ? held.then(() => answer) : Promise.resolve(answer);
  };
}

/** What the doctors service publishes when a doctor changes: every such event drops the whole cache. */
function doctorChanged(doctor: number): EventEnvelope {
  return {
    eventId: randomUUID(),
    type: 'doctor.status-changed',
    occurredAt: new Date().toISOString(),
    aggregateId: DOCTORS[doctor] as string,
    correlationId: randomUUID(),
    actor: { role: 'System', subject: 'test' },
    version: 1,
    payload: { doctorId: DOCTORS[doctor] as string, clinicId: CLINIC, status: 'active' },
  } as unknown as EventEnvelope;
}

function slotChanged(doctor: number): EventEnvelope {
  return {
    ...doctorChanged(doctor),
    type: 'slot.changed',
    payload: {
      slotId: randomUUID(),
      doctorId: DOCTORS[doctor] as string,
      clinicId: CLINIC,
      start: new Date().toISOString(),
      end: new Date().toISOString(),
      status: 'busy',
    },
  } as unknown as EventEnvelope;
}

function setUp() {
  const cache = new ResponseCache();
  cache.setContinuity(true);
  const subgraph = new DoctorsSubgraph();
  const entities = new EntityCache('doctors', cache, () => schema);
  const fetch = (
    doctors: number[],
    identity: Identity | null = null,
    query = DOCTORS_OF_A_PAGE,
    variables: Record<string, unknown> = {},
    operation: 'query' | 'mutation' = 'query',
  ) =>
    entities.fetch(
      {
        query,
        variables: { ...variables, representations: doctors.map(representation) },
        identity,
        operation,
      },
      doctors.map(representation),
      subgraph.send,
    );
  return { cache, subgraph, fetch };
}

const names = (answer: EntitiesResponse) =>
  ((answer.data?.['_entities'] ?? []) as ({ name: string } | null)[]).map((entity) => entity?.name ?? null);

describe('the entity cache', () => {
  it('is kept only for the doctors subgraph, whose every event drops the whole cache', () => {
    expect([...ENTITY_CACHED_SUBGRAPHS]).toEqual(['doctors']);
    for (const type of ['doctor.status-changed', 'doctor.availability-changed'])
      expect(eventEffect({ ...doctorChanged(0), type } as EventEnvelope)).toBe('all');
  });

  it('asks the subgraph only for representations it does not hold, and answers as the subgraph would', async () => {
    const { subgraph, fetch } = setUp();
    expect(names(await fetch([0, 1]))).toEqual(['Dr 0', 'Dr 1']);
    const answer = await fetch([1, 2, 0]);
    expect(names(answer)).toEqual(['Dr 1', 'Dr 2', 'Dr 0']);
    expect(subgraph.asked).toEqual([[DOCTORS[0], DOCTORS[1]], [DOCTORS[2]]]);
    // Each caller gets a copy of its own: the gateway merges into what it receives.
    const first = (answer.data?.['_entities'] as { name: string }[])[0];
    if (first) first.name = 'changed by a merge';
    expect(names(await fetch([1]))).toEqual(['Dr 1']);
    expect(subgraph.asked).toHaveLength(2);
  });

  it('answers the same fetch sent twice at once as the subgraph does, and keeps one answer', async () => {
    const { cache, subgraph, fetch } = setUp();
    const [one, two] = await Promise.all([fetch([0, 1]), fetch([1, 0])]);
    expect(names(one)).toEqual(['Dr 0', 'Dr 1']);
    expect(names(two)).toEqual(['Dr 1', 'Dr 0']);
    expect(cache.size.entities).toBe(2);
    await fetch([0, 1]);
    expect(subgraph.asked).toHaveLength(2);
  });

  it('never shares an answer across scopes', async () => {
    const { subgraph, fetch } = setUp();
    await fetch([0]);
    await fetch([0], { role: 'Patient', subject: randomUUID() });
    await fetch([0], { role: 'ClinicAdmin', subject: randomUUID(), clinicId: randomUUID() });
    await fetch([0], { role: 'ClinicAdmin', subject: randomUUID(), clinicId: randomUUID() });
    expect(subgraph.asked).toHaveLength(4);
  });

  it('never answers from before a change whose event was consumed, and slot changes keep it', async () => {
    const { cache, subgraph, fetch } = setUp();
    await fetch([0, 1]);
    cache.apply(slotChanged(0));
    await fetch([0, 1]);
    expect(subgraph.asked).toHaveLength(1);
    subgraph.names[0] = 'Dr Zero';
    cache.apply(doctorChanged(0));
    expect(names(await fetch([0, 1]))).toEqual(['Dr Zero', 'Dr 1']);
  });

  it('does not keep an answer read before such a change and back after it', async () => {
    const { cache, subgraph, fetch } = setUp();
    let release: () => void = () => undefined;
    subgraph.hold = new Promise((resolve) => (release = resolve));
    const inFlight = fetch([0]);
    subgraph.names[0] = 'Dr Zero';
    cache.apply(doctorChanged(0));
    subgraph.hold = null;
    release();
    // Its own caller began before the change and gets what was read then.
    expect(names(await inFlight)).toEqual(['Dr 0']);
    expect(names(await fetch([0]))).toEqual(['Dr Zero']);
    expect(subgraph.asked).toHaveLength(2);
  });

  it('keeps nothing from an answer with errors, and reports each error at its representation', async () => {
    const { subgraph, fetch } = setUp();
    await fetch([0]);
    subgraph.failing.add(DOCTORS[2] as string);
    const answer = await fetch([0, 1, 2]);
    expect(subgraph.asked[1]).toEqual([DOCTORS[1], DOCTORS[2]]);
    expect(names(answer)).toEqual(['Dr 0', 'Dr 1', null]);
    expect(answer.errors?.map((error) => error.path)).toEqual([['_entities', 2, 'name']]);
    subgraph.failing.clear();
    await fetch([1]);
    expect(subgraph.asked[2]).toEqual([DOCTORS[1]]);
  });

  it('keeps nothing for fields that list slots or are not public, with arguments, or across a gap', async () => {
    const { cache, subgraph, fetch } = setUp();
    const twice = async (query: string, variables: Record<string, unknown> = {}) => {
      await fetch([0], null, query, variables);
      await fetch([0], null, query, variables);
    };
    await twice(
      'query P__doctors__1($representations:[_Any!]!){_entities(representations:$representations){...on Doctor{freeSlots{id}}}}',
    );
    await twice(
      'query P__doctors__1($representations:[_Any!]!){_entities(representations:$representations){...on Doctor{name} ...on Patient{clientId}}}',
    );
    await twice(
      'query P($representations:[_Any!]!){_entities(representations:$representations){...on Doctor{nope}}}',
    );
    await twice(DOCTORS_OF_A_PAGE, { days: 7 });
    expect(subgraph.asked).toHaveLength(8);
    cache.setContinuity(false);
    await fetch([0]);
    cache.setContinuity(true);
    await fetch([0]);
    await fetch([0]);
    expect(subgraph.asked).toHaveLength(10);
  });

  it('keeps entities under the fetch, not the name the caller gave its operation', async () => {
    const { cache, subgraph, fetch } = setUp();
    const named = (name: string) =>
      DOCTORS_OF_A_PAGE.replace('query Page__doctors__1', `query ${name}__doctors__1`);
    await fetch([0, 1], null, named('Mine'));
    for (let index = 0; index < 50; index++)
      await fetch([0, 1], null, named(`A${'x'.repeat(10_000)}${index}`));
    expect(subgraph.asked).toHaveLength(1);
    expect(cache.size.entities).toBe(2);
  });

  it('puts nothing the caller typed in what it throws: a wrong count names only numbers', async () => {
    // The caller names the operation; the planner puts that name in the fetch the cache keys.
    const canary = `Canary${randomUUID().replace(/-/g, '')}`;
    const cache = new ResponseCache();
    cache.setContinuity(true);
    const entities = new EntityCache('doctors', cache, () => schema);
    const fetch = entities.fetch(
      {
        query: DOCTORS_OF_A_PAGE.replace('Page__', `${canary}__`),
        variables: {},
        identity: null,
        operation: 'query',
      },
      [representation(0), representation(1)],
      async () => ({ data: { _entities: [] } }),
    );
    await expect(fetch).rejects.toThrow(/^Expected "data\._entities" to contain 2 elements$/);
    expect(cache.size.entities).toBe(0);
  });

  it('neither answers nor keeps the entities of a mutation’s answer', async () => {
    const { subgraph, fetch } = setUp();
    await fetch([0], null, DOCTORS_OF_A_PAGE, {}, 'mutation');
    await fetch([0]);
    await fetch([0], null, DOCTORS_OF_A_PAGE, {}, 'mutation');
    expect(subgraph.asked).toHaveLength(3);
  });

  it('holds answers and entities together within the cache’s bytes', async () => {
    const maxBytes = 256 * 1024;
    const cache = new ResponseCache({ maxBytes });
    cache.setContinuity(true);
    for (let index = 0; index < 200; index++) {
      cache.begin(`answer-${index}`, []).settle({ text: 'é'.repeat(1_000) });
      cache.storeEntity(`entity-${index}`, { name: 'é'.repeat(3) }, cache.changeSequence);
      const { bytes, entityBytes } = cache.size;
      expect(bytes + entityBytes).toBeLessThanOrEqual(maxBytes);
      expect(entityBytes).toBeLessThanOrEqual(maxBytes / 4);
    }
    expect(cache.size.entities).toBeGreaterThan(0);
    expect(cache.size.entries).toBeGreaterThan(0);
  });

  it('answers every fetch as the subgraph reads at its start, whatever changes and gaps come between (property)', async () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('fetch' as const),
        doctors: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
        scope: fc.integer({ min: 0, max: 1 }),
        held: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('rename' as const), doctor: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('slot' as const), doctor: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('gap' as const) }),
    );
    const scopes: (Identity | null)[] = [null, { role: 'Patient', subject: randomUUID() }];
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const { cache, subgraph, fetch } = setUp();
        let renames = 0;
        // A held fetch is answered only after the step that follows it.
        let pending: { done: Promise<void>; release: () => void } | null = null;
        for (const current of steps) {
          const previous = pending;
          pending = null;
          if (current.kind === 'fetch') {
            const expected = current.doctors.map((doctor) => subgraph.names[doctor]);
            let release: () => void = () => undefined;
            if (current.held) subgraph.hold = new Promise((resolve) => (release = resolve));
            const answer = fetch(current.doctors, scopes[current.scope]);
            subgraph.hold = null;
            const done = answer.then((result) => expect(names(result)).toEqual(expected));
            if (current.held) pending = { done, release };
            else {
              release();
              await done;
            }
          } else if (current.kind === 'rename') {
            subgraph.names[current.doctor] = `Dr ${current.doctor} (${++renames})`;
            cache.apply(doctorChanged(current.doctor));
          } else if (current.kind === 'slot') cache.apply(slotChanged(current.doctor));
          else {
            cache.setContinuity(false);
            cache.setContinuity(true);
          }
          if (previous) {
            previous.release();
            await previous.done;
          }
        }
        if (pending) {
          pending.release();
          await pending.done;
        }
      }),
      { numRuns: 300 },
    );
  });
});
