import type { Request, RequestHandler } from 'express';
import { reject } from '../hardening/reject';
import type { TrustedManifest } from './manifest';
import { unknownDocumentMessage, type Transport, type TrustPolicy } from './trust-policy';

const UNKNOWN = Symbol('unknown documentId');
const BOTH = Symbol('documentId and query');

/**
 * `{ "documentId": "sha256:<hex>" }` in a POST body (each operation of a batch) or `?documentId=` in a
 * GET, replaced by the registered text before Apollo or the SSE endpoint reads the request, so both
 * serve it as they serve text: Apollo finds it already parsed and validated in its document store
 * (document-store.ts). An id the manifest does not hold refuses the whole request, by a fixed message,
 * in every mode: there is no text to run.
 */
export function useDocumentIds(manifest: TrustedManifest, policy: TrustPolicy): RequestHandler {
  const resolve = (operation: unknown): unknown => {
    if (!operation || typeof operation !== 'object' || Array.isArray(operation)) return operation;
    const { documentId, ...rest } = operation as Record<string, unknown>;
    if (documentId === undefined || documentId === null) return operation;
    if (rest['query'] !== undefined && rest['query'] !== null) return BOTH;
    const text = manifest.textOf(documentId);
    return text === undefined ? UNKNOWN : { ...rest, query: text };
  };
  return (req, res, next) => {
    const transport = transportOf(req);
    let outcome: unknown;
    if (req.method === 'GET') {
      const at = req.url.indexOf('?');
      if (at < 0) return next();
      const params = new URLSearchParams(req.url.slice(at + 1));
      if (!params.has('documentId')) return next();
      const ids = params.getAll('documentId');
      outcome = resolve({
        documentId: ids.length === 1 ? ids[0] : UNKNOWN,
        query: params.get('query') ?? undefined,
      });
      if (typeof outcome === 'object' && outcome) {
        params.delete('documentId');
        params.set('query', (outcome as { query: string }).query);
        req.url = `${req.url.slice(0, at)}?${params}`;
      }
    } else {
      const body: unknown = req.body;
      const resolved = Array.isArray(body) ? body.map(resolve) : resolve(body);
      outcome = Array.isArray(resolved)
        ? (resolved.find((item) => item === UNKNOWN || item === BOTH) ?? resolved)
        : resolved;
      if (outcome !== UNKNOWN && outcome !== BOTH) req.body = resolved;
    }
    if (outcome === BOTH) return reject(res, 400, 'BAD_REQUEST', 'Send a documentId or a query, not both.');
    if (outcome === UNKNOWN) {
      policy.unknownId(transport);
      return reject(res, 400, 'PERSISTED_DOCUMENT_NOT_FOUND', unknownDocumentMessage);
    }
    next();
  };
}

/** Whether the request is for the SSE endpoint (its accept header) or a plain POST or GET. */
function transportOf(req: Request): Transport {
  return (req.headers.accept ?? '').includes('text/event-stream') ? 'sse' : 'http';
}
