import http from 'node:http';
import https from 'node:https';

/**
 * The gateway's requests to its subgraphs: one POST over a keep-alive agent, with one deadline for the
 * whole exchange. Node's fetch (undici) spent about a fifth of the gateway's CPU per request on its
 * Request and Response objects, web streams and an AbortSignal per fetch (transferable in Node 20), for
 * features a JSON POST to a known service never uses. The agent retires an idle connection before the
 * subgraph's announced keep-alive timeout, so a request does not meet a connection the server just closed.
 */
export interface SubgraphFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What @apollo/gateway's RemoteGraphQLDataSource reads of an answer: status, headers, and the body. */
export class SubgraphResponse {
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    headers: http.IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.headers = {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  text(): Promise<string> {
    return Promise.resolve(this.body.toString('utf8'));
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }
}

/** Longest an unused connection is kept; a subgraph announcing a shorter keep-alive shortens it. */
const IDLE_CONNECTION_MS = 60_000;

/** Rejects on a refused or reset connection and when the answer has not fully arrived in `timeoutMs`. */
export function createSubgraphFetch(
  timeoutMs: number,
): (url: string, init?: SubgraphFetchInit) => Promise<SubgraphResponse> {
  // Node's agent shortens an idle connection's life to the server's `Keep-Alive: timeout` hint (less a
  // second) only when the hint is below its own timeout: without one, it kept connections until the
  // server closed them, and requests sent at that moment failed.
  const options = { keepAlive: true, timeout: IDLE_CONNECTION_MS };
  const agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const client = target.protocol === 'https:' ? https : http;
      const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const body = init.body ?? '';
      const request = client.request(target, {
        method: init.method ?? 'POST',
        agent,
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      const fail = (error: Error) => {
        clearTimeout(deadline);
        reject(error);
      };
      const deadline = setTimeout(() => request.destroy(new Error('deadline')), timeoutMs);
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        // A connection closed mid-answer (a replica stopping).
        response.on('close', () => {
          if (!response.complete) fail(new Error('answer cut off'));
        });
        response.on('end', () => {
          clearTimeout(deadline);
          resolve(
            new SubgraphResponse(
              url,
              response.statusCode ?? 0,
              response.statusMessage ?? '',
              response.headers,
              Buffer.concat(chunks),
            ),
          );
        });
      });
      request.end(body);
    });
}
