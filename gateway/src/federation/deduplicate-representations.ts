import type { GraphQLFormattedError } from 'graphql';

/**
 * An entity fetch asks once per entity the plan reached, not once per entity: an availability page of
 * 20 slots sends the doctors subgraph 20 representations of its few doctors. Each distinct
 * representation is sent once and its answer copied back to every place that asked for it, as Apollo
 * Router does; the gateway then sees exactly the answer it would have had.
 */
export interface Deduplicated {
  /** Each distinct representation once, in order of first appearance. */
  unique: unknown[];
  /** For each original position, its index in `unique`. */
  positions: number[];
}

/** Undefined when every representation is distinct: the request goes out as it is. */
export function deduplicateRepresentations(representations: readonly unknown[]): Deduplicated | undefined {
  const indexByKey = new Map<string, number>();
  const unique: unknown[] = [];
  const positions: number[] = [];
  for (const representation of representations) {
    // The planner builds every representation of one fetch from the same selection, so equal ones
    // serialize alike; the typename is part of the key, so entities of two types never meet.
    const key = JSON.stringify(representation);
    let index = indexByKey.get(key);
    if (index === undefined) {
      index = unique.length;
      unique.push(representation);
      indexByKey.set(key, index);
    }
    positions.push(index);
  }
  return unique.length === representations.length ? undefined : { unique, positions };
}

export interface EntitiesResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * The errors of an answer to some representations, each about entity `sent` moved to every position
 * `positionsOf(sent)` names in the fetch the caller asked for; one about no representation sent is
 * passed on as it came.
 */
export function remapEntityErrors(
  errors: readonly GraphQLFormattedError[] | undefined,
  positionsOf: (sent: number) => number[],
): GraphQLFormattedError[] | undefined {
  return errors?.flatMap((error) => {
    const path = error.path;
    if (!path || path[0] !== '_entities' || typeof path[1] !== 'number') return [error];
    const copies = positionsOf(path[1]).map((position) => ({
      ...error,
      path: ['_entities', position, ...path.slice(2)],
    }));
    return copies.length > 0 ? copies : [error];
  });
}

/**
 * The answer's entities, or null when it has none (a failed fetch); an answer with another count than
 * was sent is refused, as the gateway refuses any such answer (passed on, it could have the count the
 * gateway expects).
 */
export function sentEntities(response: EntitiesResponse, sent: number): unknown[] | null {
  const entities = response.data?.['_entities'];
  if (!Array.isArray(entities)) return null;
  if (entities.length !== sent) throw new Error(`Expected "data._entities" to contain ${sent} elements`);
  return entities;
}

/**
 * The query planner's entity fetch: its only root field is `_entities(representations: $representations)`.
 * Callers cannot write one (the API schema has no `_entities`), so a caller's own variable named
 * `representations` is never taken for the planner's.
 */
export function isEntityFetch(query: string | undefined): boolean {
  return query !== undefined && ENTITY_FETCH.test(query);
}

const ENTITY_FETCH = /^[^{]*\{\s*_entities\s*\(\s*representations\s*:\s*\$representations\s*\)/;

/**
 * The subgraph's answer to the unique representations, as the answer to all of them: each position
 * gets its own copy (the gateway merges into and rewrites what it receives), and an error about one
 * representation is reported at every position that asked for it, whatever became of the data. An
 * answer with as many entities as were sent is expanded; one with another count is refused, as the
 * gateway refuses any such answer (passed on, it could have the count the gateway expects).
 */
export function expandEntities<T extends EntitiesResponse>(response: T, deduplicated: Deduplicated): T {
  const errors = remapEntityErrors(response.errors, (sent) =>
    deduplicated.positions.flatMap((index, position) => (index === sent ? [position] : [])),
  );
  const withErrors = { ...response, ...(errors ? { errors } : {}) };
  const entities = sentEntities(response, deduplicated.unique.length);
  if (!entities) return withErrors;
  const copied = new Set<number>();
  const expanded = deduplicated.positions.map((index) => {
    // What a subgraph answers is JSON, so a round trip copies it exactly (an own `__proto__` key too).
    if (copied.has(index)) return JSON.parse(JSON.stringify(entities[index])) as unknown;
    copied.add(index);
    return entities[index] as unknown;
  });
  return { ...withErrors, data: { ...response.data, _entities: expanded } };
}
