import fc from 'fast-check';
import type { GraphQLFormattedError } from 'graphql';
import { deduplicateRepresentations, expandEntities } from './deduplicate-representations';

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

  it('passes on an answer of the wrong length, and an error about no representation sent, as they came', () => {
    const deduplicated = deduplicateRepresentations([
      { __typename: 'Doctor', id: 'a' },
      { __typename: 'Doctor', id: 'a' },
    ]);
    if (!deduplicated) throw new Error('expected duplicates');
    const short = { data: { _entities: [] } };
    expect(expandEntities(short, deduplicated)).toBe(short);
    const stray = { message: 'stray', path: ['_entities', 7, 'name'] };
    const answer = expandEntities(
      { data: { _entities: [{ __typename: 'Doctor', id: 'a' }] }, errors: [stray] },
      deduplicated,
    );
    expect(answer.errors).toEqual([stray]);
    expect(answer.data._entities).toHaveLength(2);
  });
});
