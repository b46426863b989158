import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { isErrorCode } from '@clinic/contracts';
import { isDatabaseUnavailable } from '../database/unavailable';
import { currentRequest } from '../logging/request-context';
import { clientMessage } from './redact-input-values';

/**
 * Errors are masked by default: a client sees the message of an error that carries one of our codes,
 * and nothing but "Internal server error" otherwise. The original goes to the log, under the
 * request's correlation id, which the client also gets. Messages graphql-js words from the request can
 * quote what the caller typed (personal details), so those are rewritten (clientMessage). A database
 * that cannot be reached for now is not a bug: the client gets SERVICE_UNAVAILABLE, which it may retry.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
  logger: Logger,
): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  const correlationId = currentRequest()?.correlationId;
  if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') {
    const extensions: Record<string, unknown> = { code };
    if (correlationId) extensions['correlationId'] = correlationId;
    return {
      message: clientMessage(code, formatted.message, formatted.locations),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions,
    };
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error }, 'database unavailable; answered SERVICE_UNAVAILABLE');
    return {
      message: 'The service is unavailable for a moment. Retry shortly.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'SERVICE_UNAVAILABLE', ...(correlationId ? { correlationId } : {}) },
    };
  }
  logger.error({ err: error, code }, 'internal error masked');
  return {
    message: 'Internal server error.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(correlationId ? { correlationId } : {}) },
  };
}
