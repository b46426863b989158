import type { RequestHandler } from 'express';
import { reject } from './reject';

/**
 * Apollo runs every operation of a batched request (a JSON array); this caps how many one request may
 * carry, before any of them is parsed. The cap is not echoed to the client.
 */
export function useBatchLimit(maxBatchSize: number): RequestHandler {
  return (request, response, next) => {
    const body: unknown = request.body;
    if (Array.isArray(body) && body.length > maxBatchSize)
      return reject(response, 400, 'BATCH_TOO_LARGE', 'Too many operations in one batched request.');
    next();
  };
}

/** How many operations a request carries: a batch counts each, for the per-subject rate limit. */
export function operationsIn(body: unknown): number {
  return Array.isArray(body) ? Math.max(1, body.length) : 1;
}
