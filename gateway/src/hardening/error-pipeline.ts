import type { ErrorCode } from '@clinic/contracts';
import { maskError, type Logger } from '@clinic/platform';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { HardeningOptions } from './options';

/** What graphql-armor puts in a suggestion's place on the POST path; its pattern misses some wordings. */
const SUGGESTION_HIDDEN = '[Suggestion hidden]';

/** Apollo's own codes for a client's mistake that the registry words otherwise; masked as ours without this. */
const APOLLO_CLIENT_CODES: Record<string, ErrorCode> = {
  PERSISTED_QUERY_NOT_FOUND: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'GRAPHQL_VALIDATION_FAILED',
};
/** Apollo's refusals of a malformed persisted query: no code of their own, so Apollo gives them its 500's. */
const APOLLO_UNCODED_REFUSALS = new Set([
  'provided sha does not match query',
  'Unsupported persisted query version',
]);

/** How every error the gateway sends is shaped, whichever transport carries it. */
export interface ErrorPipeline {
  /** Apollo's formatError: an error that has been through Apollo (POST, GET, queries run for a stream). */
  format(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /**
   * An error raised outside Apollo (the event-stream path): it gets the code Apollo would have given it
   * (`fallback`, when it carries none), then goes through the same format.
   */
  formatRaw(error: unknown, fallback: ErrorCode): GraphQLFormattedError;
}

/**
 * One pipeline for POST and SSE: in production "Did you mean …?" suggestions are hidden (they reveal the
 * schema), then maskError keeps registry codes with messages that quote nothing the caller typed, adds
 * the correlation id, and masks and logs anything else.
 */
export function errorPipeline(mode: HardeningOptions['mode'], logger: Logger): ErrorPipeline {
  const format = (formatted: GraphQLFormattedError, error: unknown) => {
    const apolloCode = formatted.extensions?.['code'];
    const code = APOLLO_UNCODED_REFUSALS.has(formatted.message)
      ? 'BAD_REQUEST'
      : typeof apolloCode === 'string'
        ? (APOLLO_CLIENT_CODES[apolloCode] ?? apolloCode)
        : apolloCode;
    const message =
      mode === 'production'
        ? formatted.message.replace(/Did you mean [\s\S]*$/, SUGGESTION_HIDDEN)
        : formatted.message;
    return maskError({ ...formatted, message, extensions: { ...formatted.extensions, code } }, error, logger);
  };
  return {
    format,
    formatRaw: (error, fallback) => {
      if (!(error instanceof GraphQLError)) return format({ message: String(error) }, error);
      const formatted = error.toJSON();
      const code = formatted.extensions?.['code'] ?? fallback;
      return format({ ...formatted, extensions: { ...formatted.extensions, code } }, error);
    },
  };
}
