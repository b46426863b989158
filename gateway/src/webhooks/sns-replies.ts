import {
  CORRELATION_HEADER,
  INTERNAL_IDENTITY_HEADER,
  payloadTooLarge,
  signInternalIdentity,
  type Logger,
} from '@clinic/platform';
import express, { type Express } from 'express';

/** SNS's messages are a few KB; none larger is passed on, whichever content type it claims. */
const MAX_BODY_BYTES = 64 * 1024;

/** Where Amazon SNS posts two-way SMS replies: the public path, and the patients subgraph's. */
export const SNS_REPLIES_PATH = '/webhooks/sns';

export interface SnsRepliesOptions {
  /** The patients subgraph's endpoint, e.g. `http://patients/webhooks/sns`. */
  url: string;
}

export interface SnsRepliesMount extends SnsRepliesOptions {
  internalIdentitySecret: string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * POST /webhooks/sns: the subgraphs answer only the gateway, so it passes SNS's body on as it came,
 * with an anonymous signed identity; the patients service checks SNS's signature and answers. The
 * gateway reads nothing in the body and logs none of it.
 */
export function mountSnsReplies(app: Express, options: SnsRepliesMount): void {
  const { logger } = options;
  app.post(
    SNS_REPLIES_PATH,
    express.text({ type: () => true, limit: MAX_BODY_BYTES }),
    async (request, response, next) => {
      const correlationId = String(request.headers[CORRELATION_HEADER]);
      const raw: unknown = request.body;
      // A body claimed as JSON was read by the app's JSON parser, under its larger limit.
      const body = typeof raw === 'string' ? raw : JSON.stringify(raw ?? null);
      if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
        next(payloadTooLarge());
        return;
      }
      try {
        const answer = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            [CORRELATION_HEADER]: correlationId,
            [INTERNAL_IDENTITY_HEADER]: await signInternalIdentity(
              options.internalIdentitySecret,
              null,
              correlationId,
            ),
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        response
          .status(answer.status)
          .type('json')
          .set('cache-control', 'no-store')
          .send(await answer.text());
      } catch (error) {
        logger.error({ err: error, correlationId }, 'the patients service did not take an SNS message');
        // 503: SNS delivers it again later.
        response.status(503).json({ error: { code: 'SERVICE_UNAVAILABLE' } });
      }
    },
  );
}
