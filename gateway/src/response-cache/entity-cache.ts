import { createHash } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { metrics } from '@clinic/platform';
import { parse, type GraphQLSchema } from 'graphql';
import {
  remapEntityErrors,
  sentEntities,
  type EntitiesResponse,
} from '../federation/deduplicate-representations';
import { entityFetchCacheable } from './dependencies';
import type { ResponseCache } from './response-cache';
import { scopeOf } from './use-response-cache';

/**
 * Subgraphs whose public entity answers change only with events that drop the whole cache (eventEffect:
 * every doctor.* event is 'all'). Another subgraph's entity fields may list slots (Doctor.freeSlots,
 * Slot.status) that a booking changes without a word about the entity.
 */
export const ENTITY_CACHED_SUBGRAPHS: ReadonlySet<string> = new Set(['doctors']);

/** Distinct entity fetch documents remembered as cacheable or not (by hash), per schema. */
const DOCUMENTS_REMEMBERED = 1_000;
/**
 * The planner names each fetch after the caller's operation (`query <Name>__doctors__1(…)`): the name is
 * left out of what is remembered and of the key, so a caller's names neither fill memory nor push out
 * what other operations share.
 */
const FETCH_NAME = /^\s*query\s+[_A-Za-z][_0-9A-Za-z]*/;
const GATEWAY = { service: 'gateway' } as const;

/**
 * The doctors subgraph's entities, answered at the gateway (docs/response-cache.md, "Entities"): an
 * availability page that misses the response cache (another day, another clinic) still finds the doctors
 * of its slots here, so it asks the appointments subgraph alone. Each representation's answer is kept
 * under the caller's scope, the fetch's document and variables; only answers that select cacheable
 * fields listing no slots, from an answer without errors, read while the stream of changes was
 * continuous and before any change that drops everything. Such a change, a gap in the stream or a new
 * schema drops them with the rest of the response cache.
 */
export class EntityCache {
  private documents = new Map<string, boolean>();
  private documentsOf: GraphQLSchema | null = null;

  constructor(
    private readonly subgraph: string,
    private readonly cache: ResponseCache,
    /** The API schema served now (null until the first load). */
    private readonly schema: () => GraphQLSchema | null,
  ) {}

  /**
   * Answers an entity fetch of these (distinct) representations: those held are taken from the cache,
   * the rest asked of the subgraph with `send`, and the answer is as the subgraph's to all of them
   * would have been (errors about one representation at its position).
   */
  async fetch<T extends EntitiesResponse>(
    fetch: {
      query: string;
      variables: Record<string, unknown>;
      identity: Identity | null;
      /** Entities of a mutation's answer are read fresh: its caller expects its own change in them. */
      operation: 'query' | 'mutation' | 'subscription' | undefined;
    },
    representations: readonly unknown[],
    send: (representations: unknown[]) => Promise<T>,
  ): Promise<T> {
    const prefix = this.keyPrefix(fetch);
    if (prefix === null) return send([...representations]);
    const keys = representations.map((representation) => prefix + JSON.stringify(representation));
    const found = keys.map((key) => this.cache.lookupEntity(key));
    const missing: number[] = [];
    found.forEach((value, index) => {
      if (value === undefined) missing.push(index);
    });
    metrics.responseCacheLookups.inc({ ...GATEWAY, result: 'entity_hit' }, keys.length - missing.length);
    if (missing.length > 0)
      metrics.responseCacheLookups.inc({ ...GATEWAY, result: 'entity_miss' }, missing.length);
    if (missing.length === 0) return { data: { _entities: found } } as unknown as T;
    const since = this.cache.changeSequence;
    const response = await send(missing.map((index) => representations[index]));
    const entities = sentEntities(response, missing.length);
    if (entities && !response.errors)
      entities.forEach((entity, at) => {
        const key = keys[missing[at] as number];
        if (key !== undefined && entity !== null) this.cache.storeEntity(key, entity, since);
      });
    if (missing.length === representations.length) return response;
    const errors = remapEntityErrors(response.errors, (sent) => {
      const index = missing[sent];
      return index === undefined ? [] : [index];
    });
    const withErrors = { ...response, ...(errors ? { errors } : {}) };
    if (!entities) return withErrors;
    missing.forEach((index, at) => (found[index] = entities[at]));
    return { ...withErrors, data: { ...response.data, _entities: found } };
  }

  /** The key every representation's answer of this fetch is kept under, less the representation; null: not kept. */
  private keyPrefix(fetch: {
    query: string;
    variables: Record<string, unknown>;
    identity: Identity | null;
    operation: string | undefined;
  }): string | null {
    const schema = this.schema();
    if (!schema || !this.cache.trusted || fetch.operation !== 'query') return null;
    // A fetch with variables besides the representations passes field arguments on: not kept (none of
    // the cacheable entity fields takes any), so the key needs only the document.
    if (Object.keys(fetch.variables).some((name) => name !== 'representations')) return null;
    const document = fetch.query.replace(FETCH_NAME, 'query');
    const hash = createHash('sha256').update(document).digest('base64url');
    if (!this.cacheable(schema, document, hash)) return null;
    return createHash('sha256')
      .update([scopeOf(fetch.identity), this.subgraph, hash].join('\n'))
      .digest('base64url');
  }

  private cacheable(schema: GraphQLSchema, document: string, hash: string): boolean {
    if (this.documentsOf !== schema) {
      this.documents = new Map();
      this.documentsOf = schema;
    }
    let cacheable = this.documents.get(hash);
    if (cacheable === undefined) {
      try {
        cacheable = entityFetchCacheable(schema, parse(document));
      } catch {
        cacheable = false;
      }
      if (this.documents.size >= DOCUMENTS_REMEMBERED) this.documents.clear();
      this.documents.set(hash, cacheable);
    }
    return cacheable;
  }
}
