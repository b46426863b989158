import { GraphQLError } from 'graphql';

/**
 * Every `extensions.code` a client can receive, with what it means. docs/error-codes.md is generated from
 * this table (`npm run docs`), so the two never disagree. Outcomes a client is expected to handle in the
 * normal course (a slot already taken) are typed results in the schema instead.
 */
/** One code in the registry: what it means, the release it arrived in and, once retired, the release it left. */
export interface ErrorCodeEntry {
  meaning: string;
  since: string;
  /** Kept so old clients can look it up; a removed code is never raised again. */
  removed?: string;
}

export const ERROR_CODES = {
  BAD_REQUEST: {
    since: '0.1.0',
    meaning:
      'The HTTP request is not a GraphQL request: malformed JSON, a missing query, or a wrong content type.',
  },
  GRAPHQL_PARSE_FAILED: {
    since: '0.1.0',
    meaning: 'The operation text is not valid GraphQL syntax, or it has too many tokens.',
  },
  GRAPHQL_VALIDATION_FAILED: {
    since: '0.1.0',
    meaning:
      'The operation does not fit the schema (for example it asks for an unknown field), or it is too deep, too costly, or has too many aliases or directives.',
  },
  BAD_USER_INPUT: {
    since: '0.1.0',
    meaning: 'A variable or argument has the wrong type or an unacceptable value.',
  },
  UNAUTHENTICATED: {
    since: '0.1.0',
    meaning:
      'The operation needs a signed-in caller, or the bearer token is malformed, expired, or not from a trusted issuer.',
  },
  FORBIDDEN: {
    since: '0.1.0',
    meaning: "The caller's role may not see or do this.",
  },
  NOT_FOUND: {
    since: '0.1.0',
    meaning:
      'A record this field refers to does not exist (an appointment naming a clientId that is no registered patient); the field is null and the rest of the answer stands.',
  },
  PAYLOAD_TOO_LARGE: {
    since: '0.1.0',
    meaning: 'The request body is larger than the gateway accepts (HTTP 413).',
  },
  BATCH_TOO_LARGE: {
    since: '0.1.0',
    meaning: 'A batched HTTP request carries more operations than the gateway accepts in one request.',
  },
  RATE_LIMITED: {
    since: '0.1.0',
    meaning:
      'Too many requests from this caller or address. Wait the seconds given in the `Retry-After` header (HTTP 429).',
  },
  PERSISTED_DOCUMENT_NOT_FOUND: {
    since: '0.2.0',
    meaning:
      'The `documentId` is not one of the trusted documents this gateway was deployed with, or is not of the form `sha256:<64 hex digits>`. Nothing ran. Ship the client with a manifest the gateway has (docs/trusted-documents.md).',
  },
  PERSISTED_DOCUMENT_REQUIRED: {
    since: '0.2.0',
    meaning:
      'The gateway runs only its trusted documents for this caller: send a registered `documentId` instead of operation text (docs/trusted-documents.md). Nothing was parsed or ran.',
  },
  SLOW_CONSUMER: {
    since: '0.1.0',
    meaning:
      'A live stream was closed because the client read it too slowly and its buffer filled. Reconnect, refetch, then resubscribe.',
  },
  SERVICE_UNAVAILABLE: {
    since: '0.1.0',
    meaning:
      'A service this operation needs cannot reach its database, or did not answer within the subgraph timeout, for now (a database failover or restart, a replica stopping). Retryable: retry after a short backoff; a mutation retried with the same `idempotencyKey` is applied at most once.',
  },
  INTERNAL_SERVER_ERROR: {
    since: '0.1.0',
    meaning:
      'Something failed on our side. The details are in the logs under the correlation id in `extensions.correlationId`.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A code a server may raise now: in the registry and not removed. */
export function isErrorCode(value: unknown): value is ErrorCode {
  if (typeof value !== 'string' || !Object.hasOwn(ERROR_CODES, value)) return false;
  const entry: ErrorCodeEntry = ERROR_CODES[value as ErrorCode];
  return entry.removed === undefined;
}

export function appError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export function renderErrorCodesMarkdown(): string {
  const entries = Object.entries(ERROR_CODES) as [ErrorCode, ErrorCodeEntry][];
  const row = ([code, entry]: [ErrorCode, ErrorCodeEntry]) =>
    `| \`${code}\` | ${entry.since}${entry.removed ? `, removed in ${entry.removed}` : ''} | ${entry.meaning} |`;
  const current = entries.filter(([, entry]) => entry.removed === undefined);
  const removed = entries.filter(([, entry]) => entry.removed !== undefined);
  return [
    '# Error codes',
    '',
    '<!-- Generated from libs/contracts/src/error-codes.ts by `npm run docs`. Do not edit. -->',
    '',
    'Every GraphQL error the gateway returns carries one of these in `extensions.code`, and',
    '`extensions.correlationId` names the request in the logs. Anything unexpected is masked as',
    '`INTERNAL_SERVER_ERROR`: no stack trace or internal message ever reaches a client.',
    '',
    'A code is never reused for another meaning; `since` is the release that introduced it. A retired code',
    'stays listed with the release that removed it.',
    '',
    '| code | since | meaning |',
    '| --- | --- | --- |',
    ...current.map(row),
    '',
    ...(removed.length
      ? ['## Removed codes', '', '| code | since | meaning |', '| --- | --- | --- |', ...removed.map(row), '']
      : []),
  ].join('\n');
}
