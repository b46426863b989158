import type { Response } from 'express';
import type { ErrorCode } from '@clinic/contracts';
import { CORRELATION_HEADER, metrics, type RateLimitReason } from '@clinic/platform';

/** Counts a request refused as RATE_LIMITED (429), by which limit refused it. */
export function countRateLimited(reason: RateLimitReason): void {
  metrics.rateLimited.inc({ service: 'gateway', reason });
}

/** Answers before Apollo sees the request, in the same GraphQL shape and with a registry code. */
export function reject(response: Response, status: number, code: ErrorCode, message: string): void {
  const correlationId = response.getHeader(CORRELATION_HEADER);
  response.status(status).json({
    errors: [
      { message, extensions: { code, ...(correlationId ? { correlationId: String(correlationId) } : {}) } },
    ],
  });
}
