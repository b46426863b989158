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

interface EntitiesResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * The subgraph's answer to the unique representations, as the answer to all of them: each position
 * gets its own copy (the gateway merges into and rewrites what it receives), and an error about one
 * representation is reported at every position that asked for it. An answer of the wrong length is
 * passed on untouched, for the gateway to refuse as it refuses any such answer.
 */
export function expandEntities<T extends EntitiesResponse>(response: T, deduplicated: Deduplicated): T {
  const entities = response.data?.['_entities'];
  if (!Array.isArray(entities) || entities.length !== deduplicated.unique.length) return response;
  const copied = new Set<number>();
  const expanded = deduplicated.positions.map((index) => {
    // What a subgraph answers is JSON, so a round trip copies it exactly (an own `__proto__` key too).
    if (copied.has(index)) return JSON.parse(JSON.stringify(entities[index])) as unknown;
    copied.add(index);
    return entities[index] as unknown;
  });
  const errors = response.errors?.flatMap((error) => {
    const path = error.path;
    if (!path || path[0] !== '_entities' || typeof path[1] !== 'number') return [error];
    const at = path[1];
    const copies = deduplicated.positions.flatMap((index, position) =>
      index === at ? [{ ...error, path: ['_entities', position, ...path.slice(2)] }] : [],
    );
    // A path to no representation sent is passed on as it came.
    return copies.length > 0 ? copies : [error];
  });
  return {
    ...response,
    data: { ...response.data, _entities: expanded },
    ...(errors ? { errors } : {}),
  } as T;
}
