import { createHash } from 'node:crypto';
import {
  HeaderMap,
  type ApolloServerPlugin,
  type GraphQLRequest,
  type GraphQLRequestContext,
} from '@apollo/server';
import type { Identity } from '@clinic/contracts';
import { metrics } from '@clinic/platform';
import { getVariableValues, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../context';
import { operationLabel } from '../metrics/use-operation-metrics';
import { cacheDependencies, type SlotDependency } from './dependencies';
import type { Flight, Refresh, ResponseCache } from './response-cache';
import { variablesJson } from './variables-json';

/** Runs an anonymous operation again through Apollo's pipeline, as the response cache's own (refresh-ahead). */
export type Refresher = (request: {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}) => Promise<unknown>;

export interface ResponseCacheHttpOptions {
  /** `max-age` a shared HTTP cache (a CDN) may keep an anonymous GET answer for (default 5 s). */
  sharedMaxAgeSeconds?: number;
}

const GATEWAY = { service: 'gateway' } as const;

/**
 * Answers public reads from the response cache (docs/response-cache.md): after every check Apollo and the
 * other plugins make before execution, so a cached answer is refused, limited and counted exactly as a
 * fresh one would be. Only error-free answers are stored; identical operations in flight run once.
 */
export function useResponseCache(
  cache: ResponseCache,
  http: ResponseCacheHttpOptions = {},
  /** Refreshes anonymous answers an event drops (refresh-ahead); without it none is. */
  refresher?: Refresher,
): ApolloServerPlugin<GatewayContext> {
  const maxAge = http.sharedMaxAgeSeconds ?? 5;
  return {
    async requestDidStart() {
      let flight: Flight | null = null;
      let served: { etag: string } | null = null;
      let isCacheable = false;
      let key: string | null = null;
      return {
        async responseForOperation(request) {
          if (!cache.trusted) {
            metrics.responseCacheLookups.inc({ ...GATEWAY, result: 'untrusted' });
            return null;
          }
          const found = cacheable(request);
          if (!found) {
            metrics.responseCacheLookups.inc({ ...GATEWAY, result: 'uncacheable' });
            return null;
          }
          isCacheable = true;
          const { dependencies } = found;
          key = found.key;
          if (request.contextValue.responseCacheRefresh) {
            // A refresh is not a caller: an answer already back (or being worked out) is left as it is,
            // and not counted as a hit that would keep it refreshed for ever.
            const present = cache.peek(key);
            if (present) return answer(present.data);
            const running = cache.inFlight(key);
            const shared = running && (await running);
            if (shared) return answer(shared.data);
            metrics.responseCacheLookups.inc({ ...GATEWAY, result: 'refreshed' });
            flight = cache.begin(key, dependencies);
            return null;
          }
          const cached = cache.lookup(key);
          if (cached) {
            metrics.responseCacheLookups.inc({ ...GATEWAY, result: 'hit' });
            served = cached;
            return answer(cached.data);
          }
          const running = cache.inFlight(key);
          const shared = running && (await running);
          if (shared) {
            metrics.responseCacheLookups.inc({ ...GATEWAY, result: 'collapsed' });
            served = shared;
            return answer(shared.data);
          }
          metrics.responseCacheLookups.inc({ ...GATEWAY, result: 'miss' });
          flight = cache.begin(key, dependencies);
          return null;
        },
        async willSendResponse({ response, request, contextValue, schema, document, operation }) {
          const body = response.body;
          const result = body.kind === 'single' ? body.singleResult : null;
          const fresh = result && !result.errors && result.data ? result.data : null;
          // Anonymous answers only: a refresh runs without a caller, so it can only stand in for none.
          // Only for an answer that is stored: settle drops the refresh of an error.
          const refresh =
            fresh && flight && refresher && operation && !contextValue.identity
              ? refreshOf(refresher, request, operation)
              : undefined;
          const stored = flight?.settle(fresh, refresh) ?? null;
          const fingerprint = contextValue.responseCacheFingerprint;
          // This exact request passed every check and was answered from an entry, as Apollo sends it
          // (200, no header of a plugin's): the fast path may answer it from that entry from now on.
          if (
            fingerprint &&
            key &&
            (served ?? stored) &&
            result &&
            !result.errors &&
            (response.http.status ?? 200) === 200 &&
            [...response.http.headers.keys()].length === 0 &&
            document &&
            operation
          ) {
            const label = operationLabel(schema, document, operation);
            if (label) cache.rememberRequest(fingerprint, { key, operation: label });
          }
          if (request.http?.method !== 'GET' || !isCacheable) return;
          // A shared cache must not hand an anonymous answer to a signed-in caller, nor the reverse; nor one
          // content type to a caller that accepts another.
          response.http.headers.set('vary', 'accept, authorization');
          // A shared cache may keep only what every caller gets alike: anonymous, error-free answers.
          const validator = (served ?? stored)?.etag;
          if (contextValue.identity || !validator) {
            response.http.headers.set('cache-control', 'private, no-store');
            return;
          }
          response.http.headers.set('cache-control', `public, max-age=${maxAge}`);
          response.http.headers.set('etag', validator);
          if (request.http.headers.get('if-none-match') === validator) response.http.status = 304;
        },
      };
    },
  };
}

/** Answers depending on more slot windows than this (aliases) are not cached: each event would scan them all. */
const MAX_DEPENDENCIES = 32;

/** What the operation depends on and its key, or null when it is not cached. */
export function cacheable(
  request: GraphQLRequestContext<GatewayContext>,
): { dependencies: SlotDependency[]; key: string } | null {
  const { document, operation, schema } = request;
  if (!document || !operation) return null;
  // As execution sees them: declared variables only, each with its default when not sent.
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    request.request.variables ?? {},
  );
  if (coerced.errors) return null;
  const variables = variablesJson(coerced.coerced);
  if (variables === null) return null;
  let dependencies: SlotDependency[] | null;
  try {
    dependencies = cacheDependencies(schema, document, operation.name?.value, coerced.coerced, Date.now());
  } catch {
    // An argument the walk cannot read (validation already passed): simply not cached.
    return null;
  }
  if (!dependencies || dependencies.length > MAX_DEPENDENCIES) return null;
  // Who may share it, the document, the operation and its variables, hashed to a bounded size.
  const key = createHash('sha256')
    .update(
      [
        scopeOf(request.contextValue.identity),
        request.queryHash,
        operation.name?.value ?? '',
        variables,
      ].join('\n'),
    )
    .digest('base64url');
  return { dependencies, key };
}

/**
 * Runs the operation again with its declared variables only (a caller's made-up ones are not kept), and
 * says what it holds: the text and the variables, two bytes a character, counted with its entry. The
 * variables as sent, not as coerced: coercion is defined on input values, and a coerced one need not be one.
 */
export function refreshOf(
  refresher: Refresher,
  { query, variables: sent = {}, operationName }: GraphQLRequest,
  operation: OperationDefinitionNode,
): Refresh | undefined {
  if (query === undefined) return undefined;
  const variables = Object.fromEntries(
    (operation.variableDefinitions ?? [])
      .map(({ variable }) => variable.name.value)
      .filter((name) => Object.hasOwn(sent, name))
      .map((name) => [name, sent[name]]),
  );
  return {
    run: () => refresher({ query, variables, operationName }),
    bytes: 2 * (query.length + JSON.stringify(variables).length),
  };
}

/**
 * Callers who may share an answer. Public fields answer everyone alike today, but an answer is never shared
 * across roles or clinics, so a field that comes to depend on them cannot leak from one to another.
 */
export function scopeOf(identity: Identity | null): string {
  if (!identity) return 'anonymous';
  if (identity.role === 'Patient' || identity.role === 'SystemAdministrator') return identity.role;
  return `${identity.role}:${identity.clinicId ?? ''}`;
}

function answer(data: Record<string, unknown>) {
  return { http: { headers: new HeaderMap() }, body: { kind: 'single' as const, singleResult: { data } } };
}
