import { appError, type ErrorCode, type Identity } from '@clinic/contracts';
import { checkOperationInput } from '@clinic/platform';
import {
  GraphQLError,
  getOperationAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { RequestParams } from 'graphql-sse';
import type { TokenVerifier } from '../auth/verify-token';
import type { ErrorPipeline } from '../hardening/error-pipeline';
import { documentChecker } from './checked-documents';
import type { LiveSubscribeRequest } from './live-request';
import type { GatewayQuery } from './run-query';

export interface AdmissionOptions {
  schema: () => GraphQLSchema;
  verifyToken: TokenVerifier;
  /** Queries sent over SSE run through the gateway like any other. */
  runQuery: GatewayQuery;
  /** How errors are shaped: the gateway's, as for a POST. */
  errors: ErrorPipeline;
  /** Every rule a document is validated with (graphql's own and the gateway's limits). */
  validationRules: readonly ValidationRule[];
  limitSubject?: ((identity: Identity | null, operations: number) => Promise<void>) | undefined;
  /**
   * Trusted documents: why this text may not run for this caller, or null. Asked before the document
   * is parsed, so text refused in enforce mode is never parsed.
   */
  checkText?: ((query: string, identity: Identity | null) => GraphQLError | null) | undefined;
}

export type ResponseTuple = [string, { status: number; statusText: string; headers: Record<string, string> }];

/** What an operation sent over SSE comes to, before any stream is opened. */
export type Admission =
  | { kind: 'refused'; response: ResponseTuple }
  | { kind: 'answered'; result: ExecutionResult }
  | { kind: 'subscription'; request: LiveSubscribeRequest };

type Refusal = Extract<Admission, { kind: 'refused' | 'answered' }>;
/** A query or subscription that may run. */
type Operation = { document: DocumentNode; subscription: boolean };

/**
 * Who may open a stream, and for what: the caller's token and rate, then the document (parsed and
 * validated with the gateway's limits), one operation that is not a mutation, input that fits. A query
 * is answered at once; a subscription goes on to the hub.
 */
export class StreamAdmission {
  private readonly check: ReturnType<typeof documentChecker>;

  constructor(private readonly options: AdmissionOptions) {
    this.check = documentChecker(options.validationRules);
  }

  /** `address` is the client's (Express's req.ip, so behind GATEWAY_TRUST_PROXY the original client's). */
  async admit(
    authorization: string | undefined,
    params: RequestParams,
    address: string | undefined,
  ): Promise<Admission> {
    const caller = await this.identify(authorization);
    if (!('identity' in caller)) return caller;
    const { identity } = caller;
    const untrusted = this.options.checkText?.(params.query, identity);
    if (untrusted) return this.refused(400, untrusted, 'PERSISTED_DOCUMENT_REQUIRED');
    const operation = this.checkOperation(params);
    if (!('document' in operation)) return operation;
    const variables = params.variables ?? {};
    if (operation.subscription) {
      const { document } = operation;
      return {
        kind: 'subscription',
        request: { document, operationName: params.operationName, variables, identity, address },
      };
    }
    // Run through Apollo, whose formatError is this same pipeline.
    const result = await this.options.runQuery(
      { query: params.query, variables, operationName: params.operationName },
      identity,
    );
    return {
      kind: 'answered',
      result: { data: result.data ?? null, ...(result.errors ? { errors: result.errors } : {}) },
    };
  }

  /**
   * A result carrying these errors, formatted as Apollo would: errors made here or by the hub have not
   * been through Apollo, so they get its codes and its formatting.
   */
  answered(errors: readonly unknown[], fallback: ErrorCode): ExecutionResult {
    return formattedResult(errors.map((error) => this.options.errors.formatRaw(error, fallback)));
  }

  /** The caller, once its token verifies and its subject is within its rate. */
  private async identify(
    authorization: string | undefined,
  ): Promise<{ identity: Identity | null } | Refusal> {
    let identity: Identity | null;
    try {
      identity = await this.options.verifyToken(authorization);
    } catch (error) {
      return this.refused(401, error, 'UNAUTHENTICATED');
    }
    try {
      await this.options.limitSubject?.(identity, 1);
    } catch (error) {
      return this.refused(429, error, 'RATE_LIMITED');
    }
    return { identity };
  }

  /** The operation to run, once its document is valid, it is not a mutation and its input fits. */
  private checkOperation(params: RequestParams): Operation | Refusal {
    let checked;
    try {
      checked = this.check(this.options.schema(), params.query);
    } catch (error) {
      // Not a GraphQLError: the schema is not loaded yet, our failure.
      return this.refused(error instanceof GraphQLError ? 400 : 500, error, 'GRAPHQL_PARSE_FAILED');
    }
    const { document, errors } = checked;
    if (errors.length > 0)
      return { kind: 'answered', result: this.answered(errors, 'GRAPHQL_VALIDATION_FAILED') };
    const operation = getOperationAST(document, params.operationName);
    if (!operation) {
      const error = appError(
        'GRAPHQL_VALIDATION_FAILED',
        'Name the operation to run; the document has no such one.',
      );
      return this.refused(400, error, 'GRAPHQL_VALIDATION_FAILED');
    }
    // A GET (or a form POST) needs no preflight, so a mutation here would dodge the CSRF checks of POST.
    if (operation.operation === 'mutation') {
      const error = appError(
        'BAD_REQUEST',
        'Send mutations as a POST to /graphql, not over an event stream.',
      );
      return this.refused(400, error, 'BAD_REQUEST');
    }
    const badInput = checkOperationInput(this.options.schema(), document, params.variables ?? {});
    if (badInput) return { kind: 'answered', result: this.answered([badInput], 'BAD_USER_INPUT') };
    return { document, subscription: operation.operation === 'subscription' };
  }

  private refused(status: number, error: unknown, fallback: ErrorCode): Refusal {
    return {
      kind: 'refused',
      response: errorResponse(status, this.options.errors.formatRaw(error, fallback)),
    };
  }
}

/** A result carrying errors already formatted; only its serialised form is ever sent. */
function formattedResult(errors: GraphQLFormattedError[]): ExecutionResult {
  // ExecutionResult types its errors as GraphQLError, whose JSON form is exactly a formatted error.
  return { data: null, errors: errors as unknown as ExecutionResult['errors'] };
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

function errorResponse(status: number, error: GraphQLFormattedError): ResponseTuple {
  return [
    JSON.stringify({ errors: [error] }),
    {
      status,
      statusText: STATUS_TEXT[status] ?? 'Bad Request',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    },
  ];
}
