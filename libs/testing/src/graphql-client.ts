/** What a test reads of a GraphQL answer: the HTTP status, the headers and the JSON body. */
export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

export interface GraphQLRequestOptions {
  /** Sent as `authorization: Bearer <token>`. */
  token?: string;
  variables?: Record<string, unknown>;
  /** Which operation of a document with several to run. */
  operationName?: string;
  headers?: Record<string, string>;
}

/** POSTs one operation to a GraphQL endpoint (the gateway's `/graphql`), as a browser client would. */
export async function postGraphQL(
  url: string,
  query: string,
  options: GraphQLRequestOptions = {},
): Promise<GraphQLResponse> {
  const response = await send(url, query, options, {});
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse['body'],
  };
}

/**
 * POSTs one query over graphql-sse (distinct connections mode, `accept: text/event-stream`), the other
 * transport: the body is the stream's first `next` event, the query's one answer.
 */
export async function postGraphQLOverSse(
  url: string,
  query: string,
  options: GraphQLRequestOptions = {},
): Promise<GraphQLResponse> {
  const response = await send(url, query, options, { accept: 'text/event-stream' });
  const data = /^data: (.*)$/m.exec(await response.text())?.[1] ?? '{}';
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(data) as GraphQLResponse['body'],
  };
}

function send(
  url: string,
  query: string,
  options: GraphQLRequestOptions,
  transport: Record<string, string>,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      ...transport,
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables, operationName: options.operationName }),
  });
}

/** Tests send many requests with one token from one address; the limiter has its own tests. */
export const LIFTED_LIMITS = {
  RATE_LIMIT_SUBJECT_PER_MINUTE: '1000000',
  RATE_LIMIT_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_IP_PER_SECOND: '1000000',
  RATE_LIMIT_IP_BURST: '1000000',
  RATE_LIMIT_IP_CONCURRENT: '1000000',
  RATE_LIMIT_IP_QUEUED: '1000000',
} as const;
