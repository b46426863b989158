import { appError, type ErrorCode } from '@clinic/contracts';
import {
  CORRELATION_HEADER,
  INTERNAL_IDENTITY_HEADER,
  signInternalIdentity,
  type Logger,
} from '@clinic/platform';
import type { Express, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { TokenVerifier } from '../auth/verify-token';

/** Where the gateway serves the development notification sink's page. */
export const NOTIFICATIONS_PAGE_PATH = '/dev/notifications';

export interface NotificationsPageOptions {
  /** The patients subgraph's page, e.g. `http://127.0.0.1:4003/dev/notifications`. */
  url: string;
}

export interface NotificationsPageMount extends NotificationsPageOptions {
  verifyToken: TokenVerifier;
  internalIdentitySecret: string;
  timeoutMs: number;
  logger: Logger;
  /** In production the page is never mounted, whatever else is configured. */
  production: boolean;
}

/**
 * GET /dev/notifications: the development sink's page (every recipient's email address and phone
 * number), for a signed-in system administrator only. The gateway checks the bearer token and role, then
 * fetches the page from the patients subgraph with the signed identity like any subgraph call; the
 * subgraph checks that identity again. Never mounted in production.
 */
export function mountNotificationsPage(app: Express, options: NotificationsPageMount): void {
  if (options.production) return;
  const { logger } = options;
  app.get(NOTIFICATIONS_PAGE_PATH, async (request, response, next) => {
    const correlationId = String(request.headers[CORRELATION_HEADER]);
    let identity;
    try {
      identity = await options.verifyToken(request.headers.authorization);
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions['code'] === 'UNAUTHENTICATED')
        return refuse(response, 401, error, correlationId);
      return next(error);
    }
    if (!identity)
      return refuse(
        response,
        401,
        appError('UNAUTHENTICATED', 'Sign in as a system administrator to see the notifications page.'),
        correlationId,
      );
    if (identity.role !== 'SystemAdministrator')
      return refuse(
        response,
        403,
        appError('FORBIDDEN', 'Only a system administrator may see the notifications page.'),
        correlationId,
      );
    try {
      const answer = await fetch(options.url, {
        headers: {
          [CORRELATION_HEADER]: correlationId,
          [INTERNAL_IDENTITY_HEADER]: await signInternalIdentity(
            options.internalIdentitySecret,
            identity,
            correlationId,
          ),
        },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!answer.ok)
        throw new Error(`the patients subgraph answered the notifications page ${answer.status}`);
      response
        .status(200)
        .type('html')
        .set('cache-control', 'no-store')
        .send(await answer.text());
    } catch (error) {
      logger.warn({ err: error }, 'notifications page unavailable');
      next(error);
    }
  });
}

function refuse(response: Response, status: 401 | 403, error: GraphQLError, correlationId: string): void {
  const code = error.extensions['code'] as ErrorCode;
  response.status(status).json({ errors: [{ message: error.message, extensions: { code, correlationId } }] });
}
