import fc from 'fast-check';
import type { GraphQLFormattedError } from 'graphql';
import { deduplicateRepresentations, expandEntities, isEntityFetch } from './deduplicate-representations';

type Representation = { __typename: string; id: string; clinic?: { id: string } };

/** A subgraph that answers each representation on its own: some resolve, some are null, some fail. */
function subgraph(representations: readonly unknown[]) {
  const errors: GraphQLFormattedError[] = [];
  const entities = representations.map((value, index) => {
    const representation = value as Representation;
    if (representation.id.endsWith('-gone')) return null;
    if (representation.id.endsWith('-broken')) {
      errors.push({ message: 'failed', path: ['_entities', index, 'name'] });
      return { __typename: representation.__typename, id: representation.id, name: null };
    }
    return {
      __typename: representation.__typename,
      id: representation.id,
      name: `${representation.__typename} ${representation.id} ${representation.clinic?.id ?? ''}`,
      clinic: { id: representation.clinic?.id ?? 'none' },
    };
  });
  return { data: { _entities: entities }, ...(errors.length > 0 ? { errors } : {}) };
}

const representation = fc.record(
  {
    __typename: fc.constantFrom('Doctor', 'Clinic'),
    id: fc.constantFrom('a', 'b', 'c-gone', 'd-broken'),
    clinic: fc.record({ id: fc.constantFrom('x', 'y') }),
  },
  { requiredKeys: ['__typename', 'id'] },
);

/** Doctors a, a and b: two distinct representations for three positions. */
function doctorsAAB() {
  const deduplicated = deduplicateRepresentations(
    ['a', 'a', 'b'].map((id) => ({ __typename: 'Doctor', id })),
  );
  if (!deduplicated) throw new Error('expected duplicates');
  return deduplicated;
}

const byPath = (a: GraphQLFormattedError, b: GraphQLFormattedError) =>
  JSON.stringify(a.path).localeCompare(JSON.stringify(b.path));

describe('sending each distinct representation once', () => {
  it('answers exactly what the subgraph answers to every representation, errors included', () => {
    fc.assert(
      fc.property(fc.array(representation, { minLength: 1, maxLength: 30 }), (representations) => {
        const direct = subgraph(representations);
        const deduplicated = deduplicateRepresentations(representations);
        const answer = deduplicated
          ? expandEntities(subgraph(deduplicated.unique), deduplicated)
          : subgraph(representations);
        expect(answer.data).toEqual(direct.data);
        expect([...(answer.errors ?? [])].sort(byPath)).toEqual([...(direct.errors ?? [])].sort(byPath));
      }),
    );
  });

  it('never merges representations that differ, by type, key or a nested key field', () => {
    const representations = [
      { __typename: 'Doctor', id: 'a' },
      { __typename: 'Clinic', id: 'a' },
      { __typename: 'Doctor', id: 'a', clinic: { id: 'x' } },
      { __typename: 'Doctor', id: 'a', clinic: { id: 'y' } },
      { __typename: 'Doctor', id: 'a' },
    ];
    expect(deduplicateRepresentations(representations)).toEqual({
      unique: representations.slice(0, 4),
      positions: [0, 1, 2, 3, 0],
    });
  });

  it('sends distinct representations untouched', () => {
    expect(deduplicateRepresentations([{ __typename: 'Doctor', id: 'a' }])).toBeUndefined();
    expect(
      deduplicateRepresentations([
        { __typename: 'Doctor', id: 'a' },
        { __typename: 'Doctor', id: 'b' },
      ]),
    ).toBeUndefined();
  });

  it('gives every position its own copy, since the gateway merges into what it receives', () => {
    const representations = [
      { __typename: 'Doctor', id: 'a' },
      { __typename: 'Doctor', id: 'a' },
    ];
    const deduplicated = deduplicateRepresentations(representations);
    if (!deduplicated) throw new Error('expected duplicates');
    const answer = expandEntities(subgraph(deduplicated.unique), deduplicated);
    const [first, second] = answer.data._entities as { clinic: { id: string } }[];
    if (!first || !second) throw new Error('expected two entities');
    first.clinic.id = 'changed';
    expect(second.clinic.id).toBe('none');
  });

  it('refuses an answer with another count of entities than were sent, even the count first asked for', () => {
    const deduplicated = doctorsAAB();
    const entity = (id: string) => ({ __typename: 'Doctor', id });
    // Three entities for two representations would pass the gateway's own count check and shift b's
    // answer onto a.
    for (const entities of [[], [entity('a')], [entity('a'), entity('b'), entity('intruder')]])
      expect(() => expandEntities({ data: { _entities: entities } }, deduplicated)).toThrow();
  });

  it('reports errors at every position that asked, also when the subgraph answered no data', () => {
    const deduplicated = doctorsAAB();
    const answer = expandEntities(
      { data: null, errors: [{ message: 'no access to b', path: ['_entities', 1, 'name'] }] },
      deduplicated,
    );
    expect(answer.errors).toEqual([{ message: 'no access to b', path: ['_entities', 2, 'name'] }]);
    expect(answer.data).toBeNull();
  });

  it('passes on an error about no representation sent as it came', () => {
    const deduplicated = deduplicateRepresentations([
      { __typename: 'Doctor', id: 'a' },
      { __typename: 'Doctor', id: 'a' },
    ]);
    if (!deduplicated) throw new Error('expected duplicates');
    const stray = { message: 'stray', path: ['_entities', 7, 'name'] };
    const answer = expandEntities(
      { data: { _entities: [{ __typename: 'Doctor', id: 'a' }] }, errors: [stray] },
      deduplicated,
    );
    expect(answer.errors).toEqual([stray]);
    expect(answer.data._entities).toHaveLength(2);
  });
});

describe('an entity fetch', () => {
  it('is the query planner’s, never a caller’s operation with a variable of that name', () => {
    expect(
      isEntityFetch(
        'query Page__doctors__1($representations:[_Any!]!){_entities(representations:$representations){...on Doctor{name}}}',
      ),
    ).toBe(true);
    for (const query of [
      'query($representations:[ID!]!){echo(ids:$representations)}',
      'mutation($representations:[ID!]!){cancel(ids:$representations)}',
      'query($representations:[ID!]!){_entities:echo(representations:$representations)}',
      'query($representations:[ID!]!){a:echo(ids:$representations) _entities:echo(ids:$representations)}',
      undefined,
    ])
      expect(isEntityFetch(query)).toBe(false);
  });
});
