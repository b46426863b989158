import { createHash } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { metrics, type Logger } from '@clinic/platform';
import type { Request, RequestHandler } from 'express';
import type { ResponseCache } from './response-cache';
import { scopeOf } from './use-response-cache';
import { variablesJson } from './variables-json';

/**
 * The caller's identity once the token is checked and the per-subject rate limit is taken, worked out
 * once per request and shared by the fast path and Apollo's context function: a request is limited and
 * counted once, whichever of the two answers it.
 */
export type Admission = (request: Request) => Promise<Identity | null>;

/** `check` (verify the token, take the rate limit) run at most once per request, its outcome shared. */
export function admissionOnce(check: (request: Request) => Promise<Identity | null>): Admission {
  const admissions = new WeakMap<Request, Promise<Identity | null>>();
  return (request) => {
    let admitted = admissions.get(request);
    if (!admitted) admissions.set(request, (admitted = check(request)));
    return admitted;
  };
}

export interface FastHitsOptions {
  cache: ResponseCache;
  admission: Admission;
  /** Trusted documents' decision and count for HTTP (absent when they are off: any text runs). */
  trust?: {
    opens: (hash: string, identity: Identity | null) => boolean;
    record: (hash: string, identity: Identity | null) => void;
  };
  logger: Logger;
}

/** Accept headers whose answer Apollo Server types as this (its chooseContentTypeForSingleResultResponse). */
const CONTENT_TYPES = new Map([
  ['', 'application/json; charset=utf-8'],
  ['*/*', 'application/json; charset=utf-8'],
  ['application/json', 'application/json; charset=utf-8'],
  ['application/graphql-response+json', 'application/graphql-response+json; charset=utf-8'],
  [
    'application/graphql-response+json,application/json;q=0.9',
    'application/graphql-response+json; charset=utf-8',
  ],
]);
/** Longer texts and variables are never worth a fingerprint: such operations are rarely repeated. */
const MAX_QUERY_LENGTH = 16 * 1024;
const GATEWAY = { service: 'gateway' } as const;

const fingerprints = new WeakMap<Request, string>();

/**
 * The fingerprint the fast path worked out for this request (after admission), for the response cache's
 * plugin to remember once Apollo's pipeline has answered it from an entry.
 */
export function fingerprintOf(request: Request): string | undefined {
  return fingerprints.get(request);
}

/**
 * Answers a repeated public read from the response cache before Apollo's pipeline (docs/response-cache.md,
 * "Fast hits"). Only a request whose exact form (caller's scope, text, operation name, variables as sent)
 * Apollo's pipeline has already answered from an entry is answered here, and only from that entry while it
 * is still there: whatever drops it (an event, expiry, a gap, a schema update) sends the request back
 * through the pipeline. Before answering, it makes the checks that can differ between two such requests:
 * the token and the per-subject rate limit (`admission`, shared with the context function) and trusted
 * documents (by the caller's role); the per-address pacing and limits ran before the body was read. It
 * counts what the pipeline would (lookups, operations, trusted documents) and answers with the bytes and
 * headers Apollo would send. POST only: a GET's CSRF check, ETag and Cache-Control stay Apollo's.
 */
export function fastHits(options: FastHitsOptions): RequestHandler {
  const { cache, admission, trust, logger } = options;
  return (request, response, next) => {
    const eligible = plainRead(request);
    if (!eligible) return next();
    const read = eligible;
    const started = performance.now();
    admission(request).then(
      (identity) => {
        try {
          answerFromEntry(identity);
        } catch (error) {
          // Nothing sent yet: the pipeline answers instead; otherwise Express closes the response.
          if (!response.headersSent) return next();
          next(error);
        }
      },
      // A refused token or a rate limit: the context function awaits the same refusal and Apollo answers it.
      () => next(),
    );

    function answerFromEntry(identity: Identity | null): void {
      const hash = createHash('sha256').update(read.query).digest('hex');
      // Scope first: callers of different scopes never share a fingerprint, nor an entry.
      const fingerprint = createHash('sha256')
        .update(
          `${cache.generation}\n${scopeOf(identity)}\n${hash}\n${read.operationName}\n${read.variables}`,
        )
        .digest('base64url');
      fingerprints.set(request, fingerprint);
      if (!cache.trusted) return next();
      const remembered = cache.recallRequest(fingerprint);
      if (!remembered) return next();
      // Unregistered text the caller's role may not send goes to the pipeline, which refuses and counts it.
      if (trust && !trust.opens(hash, identity)) return next();
      const cached = cache.lookup(remembered.key);
      if (!cached) return next();
      trust?.record(hash, identity);
      metrics.responseCacheLookups.inc({ ...GATEWAY, result: 'hit' });
      metrics.graphqlOperations.inc({
        ...GATEWAY,
        operation: remembered.operation,
        operation_type: 'query',
        outcome: 'ok',
      });
      cache.fastHits++;
      response.statusCode = 200;
      response.setHeader('content-type', read.contentType);
      // What Apollo's cache-control plugin sets on a POST answered from the cache: its policy has no
      // hints without an execution, so the answer is uncacheable for HTTP caches (GETs stay Apollo's).
      response.setHeader('cache-control', 'no-store');
      response.setHeader('content-length', cached.body.length);
      response.end(cached.body);
      if (logger.isLevelEnabled('debug'))
        logger.debug(
          {
            operation: remembered.operation,
            role: identity?.role ?? 'anonymous',
            ms: Math.round(performance.now() - started),
            errors: [],
          },
          'operation finished',
        );
    }
  };
}

/**
 * A single JSON POST of operation text with nothing but an operation name and variables, whose answer
 * type the fast path knows; null for anything else (a batch, extensions, a GET, an SSE request).
 */
function plainRead(
  request: Request,
): { query: string; operationName: string; variables: string; contentType: string } | null {
  if (request.method !== 'POST') return null;
  const contentType = CONTENT_TYPES.get(request.headers.accept ?? '');
  if (!contentType) return null;
  const body: unknown = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, operationName, variables, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return null;
  if (typeof query !== 'string' || query.length === 0 || query.length > MAX_QUERY_LENGTH) return null;
  // Apollo reads a null operation name or variables as absent; '' is an operation name of its own.
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    return null;
  const json = variablesJson(variables ?? null);
  if (json === null) return null;
  return {
    query,
    // JSON: no operation name can pass for another, nor for none.
    operationName: JSON.stringify(operationName ?? null),
    variables: json,
    contentType,
  };
}
