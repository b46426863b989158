import { GraphQLError } from 'graphql';

/**
 * Every `extensions.code` a client can receive, with what it means. docs/error-codes.md is generated from
 * this table (`npm run docs`), so the two never disagree. Outcomes a client is expected to handle in the
 * normal course (a slot already taken) are typed results in the schema instead.
 */
export const ERROR_CODES = {
  BAD_REQUEST:
    'The HTTP request is not a GraphQL request: malformed JSON, a missing query, or a wrong content type.',
  GRAPHQL_PARSE_FAILED: 'The operation text is not valid GraphQL syntax, or it has too many tokens.',
  GRAPHQL_VALIDATION_FAILED:
    'The operation does not fit the schema (for example it asks for an unknown field), or it is too deep, too costly, or has too many aliases or directives.',
  BAD_USER_INPUT: 'A variable or argument has the wrong type or an unacceptable value.',
  UNAUTHENTICATED:
    'The operation needs a signed-in caller, or the bearer token is malformed, expired, or not from a trusted issuer.',
  FORBIDDEN: "The caller's role may not see or do this.",
  NOT_FOUND:
    'A record this field refers to does not exist (an appointment naming a clientId that is no registered patient); the field is null and the rest of the answer stands.',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the gateway accepts (HTTP 413).',
  BATCH_TOO_LARGE: 'A batched HTTP request carries more operations than the gateway accepts in one request.',
  RATE_LIMITED:
    'Too many requests from this caller or address. Wait the seconds given in the `Retry-After` header (HTTP 429).',
  SLOW_CONSUMER:
    'A live stream was closed because the client read it too slowly and its buffer filled. Reconnect, refetch, then resubscribe.',
  INTERNAL_SERVER_ERROR:
    'Something failed on our side. The details are in the logs under the correlation id in `extensions.correlationId`.',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export function appError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export function renderErrorCodesMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  return [
    '# Error codes',
    '',
    '<!-- Generated from libs/platform/src/errors/error-codes.ts by `npm run docs`. Do not edit. -->',
    '',
    'Every GraphQL error the gateway returns carries one of these in `extensions.code`, and',
    '`extensions.correlationId` names the request in the logs. Anything unexpected is masked as',
    '`INTERNAL_SERVER_ERROR`: no stack trace or internal message ever reaches a client.',
    '',
    '| code | meaning |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
