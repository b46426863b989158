import { HeaderMap } from '@apollo/server';
import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { appError, type Identity } from '@clinic/contracts';
import { countRateLimited, reject } from './reject';

const MESSAGE = 'Too many requests. Try again after the time given in Retry-After.';

const retryAfterSeconds = (limited: RateLimiterRes) =>
  String(Math.max(1, Math.ceil(limited.msBeforeNext / 1000)));

/**
 * A refusal is sent after a pause (at most a second, never past the window's end), so a client that
 * ignores Retry-After cannot turn cheap refusals into a busy loop that starves everyone else of the
 * event loop: each of its connections gets about one answer a second. A waiting socket costs memory only.
 */
const PAUSE_MS = 1000;
const pause = (limited: RateLimiterRes) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(PAUSE_MS, limited.msBeforeNext)));

/**
 * Two fixed one-minute windows (rate-limiter-flexible, in memory: one gateway replica each; a shared
 * store such as Redis would be the change for many replicas): per IP address before any body is read,
 * and per verified subject once the token is checked. Both answer 429 with Retry-After, after a pause.
 * How fast an address's requests start within its minute is use-address-pacing's job.
 */
export function useRateLimits(limits: { ipRequestsPerMinute: number; subjectRequestsPerMinute: number }) {
  const byIp = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.ipRequestsPerMinute, duration: 60 });
  const bySubject = new RateLimiterMemory({
    keyPrefix: 'subject',
    points: limits.subjectRequestsPerMinute,
    duration: 60,
  });

  const perIp: RequestHandler = (request, response, next) => {
    byIp.consume(request.ip ?? 'unknown').then(
      () => next(),
      (limited: unknown) => {
        if (!(limited instanceof RateLimiterRes)) return next(limited);
        countRateLimited('address_minute');
        void pause(limited).then(() => {
          response.setHeader('retry-after', retryAfterSeconds(limited));
          reject(response, 429, 'RATE_LIMITED', MESSAGE);
        });
      },
    );
  };

  /** Throws a RATE_LIMITED error Apollo answers with 429; anonymous callers are limited by address only. */
  const perSubject = async (identity: Identity | null, operations: number): Promise<void> => {
    if (!identity) return;
    try {
      await bySubject.consume(`${identity.role}:${identity.subject}`, operations);
    } catch (limited) {
      if (!(limited instanceof RateLimiterRes)) throw limited;
      countRateLimited('subject_minute');
      await pause(limited);
      throw appError('RATE_LIMITED', MESSAGE, {
        http: { status: 429, headers: new HeaderMap([['retry-after', retryAfterSeconds(limited)]]) },
      });
    }
  };

  return { perIp, perSubject };
}
