import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { CORRELATION_HEADER, correlationIdFrom, withCorrelation } from '../logging/request-context';
import { metrics, type ServiceLabel } from '../metrics/catalogue';

export type ReadinessCheck = () => Promise<Record<string, string>>;

/**
 * The HTTP shell every service shares: correlation id, JSON body limits, `/healthz` (the process is up)
 * and `/readyz` (everything it depends on answers, and the service is not draining). Malformed requests
 * get a GraphQL-shaped error with a code, never an HTML page or a stack trace.
 */
export function createHttpApp(options: {
  /** The `service` label of its http_server_request_duration_seconds. */
  service: ServiceLabel;
  logger: Logger;
  readiness: ReadinessCheck;
  /**
   * What the service calls but can answer without (the gateway's subgraphs): reported on /readyz under
   * `dependencies`, never making it 503. Otherwise one database blip would take every gateway out of the
   * load balancer at once, and clients would get the balancer's bare 503 instead of a coded error.
   */
  dependencies?: ReadinessCheck;
  /**
   * True once the owner has begun to stop the service (SIGTERM): /readyz answers 503 at once, so load
   * balancers stop sending, and every response closes its connection, so keep-alive clients reconnect
   * elsewhere. Requests are still served until the server closes (closeServer).
   */
  draining?: () => boolean;
  /** Largest JSON body accepted; default 1 MiB. */
  bodyLimitBytes?: number;
  /** Runs after the health checks and before any body is read: the cheapest place to refuse a request. */
  beforeBody?: RequestHandler[];
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(timeRequests(options.service));
  app.use(correlate);
  const draining = options.draining ?? (() => false);
  app.use((_request, response, next) => {
    if (draining()) response.setHeader('connection', 'close');
    next();
  });
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    // Nothing else is asked while draining: the answer is no whatever the dependencies say.
    if (draining()) {
      response.status(503).json({ status: 'draining', checks: {} });
      return;
    }
    const [checks, dependencies] = await Promise.all([options.readiness(), options.dependencies?.()]);
    const ready = Object.values(checks).every((state) => state === 'ok');
    response
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'unavailable', checks, ...(dependencies ? { dependencies } : {}) });
  });
  for (const handler of options.beforeBody ?? []) app.use(handler);
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  app.use(refuseDeclaredOversize(limit));
  app.use(express.json({ limit, verify: strictUtf8 }));
  return app;
}

/**
 * A body whose declared length is over the limit is refused before it is buffered or parsed (Node
 * discards the unread rest); body-parser would otherwise collect all of it before refusing. Bodies
 * without a declared length are still cut off by express.json's limit.
 */
function refuseDeclaredOversize(limit: number): RequestHandler {
  return (request, _response, next) => {
    const declared = Number(request.headers['content-length']);
    if (!(declared > limit)) return next();
    next(payloadTooLarge());
  };
}

/** What body-parser passes on for a body over its limit: badRequestHandler answers it 413, PAYLOAD_TOO_LARGE. */
export function payloadTooLarge(): Error {
  return Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });
}

// body-parser quietly replaces invalid UTF-8 with U+FFFD; a request carrying it is refused instead.
const utf8 = new TextDecoder('utf-8', { fatal: true });
function strictUtf8(_request: unknown, _response: unknown, body: Buffer): void {
  try {
    utf8.decode(body);
  } catch {
    throw Object.assign(new Error('The request body is not valid UTF-8.'), {
      status: 400,
      type: 'entity.encoding.invalid',
    });
  }
}

/** Paths mounted with `app.use` (no route template of their own) that are labelled as themselves. */
const MOUNTED_ROUTES = new Set(['/graphql']);

/**
 * http_server_request_duration_seconds for every answer. The route label is the matched route's template
 * (`/console/assets/:file`), a mounted path above, what the handler named in `response.locals.httpRoute`
 * (the SSE stream), or `other`: never the raw URL, which is the caller's to choose.
 */
function timeRequests(service: ServiceLabel): RequestHandler {
  return (request, response, next) => {
    const started = performance.now();
    // 'close' as well as after an answer: a stream the client left still counts.
    response.once('close', () => {
      const template = (request.route as { path?: unknown } | undefined)?.path;
      const path = request.originalUrl.split('?')[0] ?? '';
      const named = (response.locals as { httpRoute?: unknown }).httpRoute;
      const route =
        typeof named === 'string'
          ? named
          : typeof template === 'string'
            ? request.baseUrl + template
            : MOUNTED_ROUTES.has(path)
              ? path
              : 'other';
      metrics.httpDuration.observe(
        {
          service,
          http_route: route,
          // Express answers any method name a client sends; only the standard ones are labelled.
          http_request_method: METHODS.has(request.method) ? request.method : '_OTHER',
          http_response_status_code: String(response.statusCode),
        },
        (performance.now() - started) / 1000,
      );
    });
    next();
  };
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

const correlate: RequestHandler = (request, response, next) => {
  const correlationId = correlationIdFrom(request.headers[CORRELATION_HEADER]);
  request.headers[CORRELATION_HEADER] = correlationId;
  response.setHeader(CORRELATION_HEADER, correlationId);
  withCorrelation(correlationId, next);
};

/** Last in the chain: turns body-parser and routing failures into coded GraphQL errors. */
export function badRequestHandler(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string; message?: string }, request, response, _next) => {
    const status = typeof error.status === 'number' && error.status < 500 ? error.status : 500;
    const correlationId = String(request.headers[CORRELATION_HEADER] ?? '');
    if (status === 500) logger.error({ err: error }, 'unhandled HTTP error');
    const message =
      error.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON.'
        : error.type === 'entity.too.large'
          ? 'The request body is too large.'
          : error.type === 'entity.encoding.invalid'
            ? 'The request body is not valid UTF-8.'
            : status === 500
              ? 'Internal server error.'
              : 'The request could not be read.';
    response.status(status).json({
      errors: [
        {
          message,
          extensions: {
            code:
              status === 500 ? 'INTERNAL_SERVER_ERROR' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
            correlationId,
          },
        },
      ],
    });
  };
}

/**
 * How long an idle keep-alive connection stays open: longer than the load balancer's idle timeout (the
 * ALB's, an hour, for event streams: k8s/base/ingress.yaml). The ALB sends its next request on a
 * connection whenever one comes; had the server closed it first (Node's default is 5 s), that request
 * would be the client's 502.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 3_660_000;

/**
 * Listens with the keep-alive above. Stop it with `closeServer`: a plain `server.close()` waits for every
 * busy connection, which may now stay open for the hour.
 */
export async function listen(
  app: Express,
  port: number,
  // Loopback unless told otherwise; in a container the launcher listens on every interface.
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
      else resolve({ server, port: (server.address() as AddressInfo).port });
    });
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  });
}

/** How long requests in flight get to finish once a server stops accepting (DRAIN_TIMEOUT_MS). */
export const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;

/**
 * Stops accepting connections, lets the requests in flight finish, and closes each keep-alive connection
 * as soon as it is idle (so its client reconnects to another replica). Connections still busy after
 * `inFlightMs` are closed: the process must exit before Kubernetes kills it.
 */
export async function closeServer(server: Server, inFlightMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // A connection whose last response just ended is idle now; Node closes only those idle at close().
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => server.closeAllConnections(), inFlightMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}
