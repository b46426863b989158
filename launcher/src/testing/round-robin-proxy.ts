import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A load balancer in a test, as small as it can be and as an ALB (or kube-proxy behind a Service) would
 * behave towards its targets: round robin over the backends it considers healthy by their `/readyz`
 * (over all of them when none is: an ALB fails open), health-checked every `checkEveryMs`. It retries nothing,
 * with one exception an ALB shares: a connection the backend refused carried no request, so the request
 * goes to the next backend instead. Every request to a backend is a new connection (no keep-alive pool),
 * so a draining backend is never caught closing a connection the proxy is about to reuse.
 */
export interface ProxyBackend {
  port: number;
  healthy: boolean;
  /** Requests answered by this backend (any status). */
  requests: number;
  /** Event streams (text/event-stream answers) it opened, and how many are open now. */
  streamsOpened: number;
  streamsOpen: number;
  /** Order of the proxy's observations (see `ProxyStats.clock`): when it last turned unhealthy, first refused. */
  turnedUnhealthyAt: number | null;
  firstRefusedAt: number | null;
  failedChecks: number;
}

export interface ProxyStats {
  /** Responses by HTTP status, as the proxy's clients saw them. */
  statuses: Map<number, number>;
  /** Requests the proxy could not deliver anywhere (answered 502 here). */
  failed: number;
  /** Connections a backend refused, whose request went to the next backend. */
  refusedThenRouted: number;
  /** Counts the proxy's observations, so tests can say which came first without reading a clock. */
  clock: number;
}

export interface RoundRobinProxy {
  url: string;
  /** `http://127.0.0.1:<port>/graphql` through the proxy. */
  graphqlUrl: string;
  backends: ProxyBackend[];
  stats: ProxyStats;
  /** Adds a backend; it takes traffic once its first health check passes. */
  add(port: number): ProxyBackend;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(
  options: { checkEveryMs?: number; healthPath?: string } = {},
): Promise<RoundRobinProxy> {
  const backends: ProxyBackend[] = [];
  const stats: ProxyStats = { statuses: new Map(), failed: 0, refusedThenRouted: 0, clock: 0 };
  let next = 0;
  const pick = (exclude?: ProxyBackend): ProxyBackend | undefined => {
    const healthy = backends.filter((backend) => backend.healthy && backend !== exclude);
    const pool = healthy.length > 0 ? healthy : backends.filter((backend) => backend !== exclude);
    return pool[next++ % Math.max(pool.length, 1)];
  };
  const count = (status: number) => stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    backend: ProxyBackend | undefined,
    rerouted: boolean,
  ): void => {
    if (!backend) {
      stats.failed++;
      count(502);
      res.writeHead(502).end();
      return;
    }
    const upstream = http.request({
      host: '127.0.0.1',
      port: backend.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, connection: 'close', 'content-length': String(body.length) },
      agent: false,
    });
    upstream.on('response', (response) => {
      backend.requests++;
      const status = response.statusCode ?? 502;
      count(status);
      const stream = String(response.headers['content-type'] ?? '').includes('text/event-stream');
      if (stream) {
        backend.streamsOpened++;
        backend.streamsOpen++;
        response.once('close', () => backend.streamsOpen--);
      }
      const headers = { ...response.headers };
      delete headers['connection'];
      delete headers['keep-alive'];
      res.writeHead(status, headers);
      response.pipe(res);
      // The client left (a subscriber unsubscribed): the backend's stream goes too.
      res.once('close', () => response.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) {
        // The backend cut a response short: the client sees its connection end, as behind an ALB.
        res.destroy();
        return;
      }
      if (error.code === 'ECONNREFUSED' && !rerouted) {
        stats.refusedThenRouted++;
        backend.firstRefusedAt ??= ++stats.clock;
        forward(req, res, body, pick(backend), true);
        return;
      }
      stats.failed++;
      count(502);
      res.writeHead(502).end();
    });
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), pick(), false));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const healthPath = options.healthPath ?? '/readyz';
  // As an ALB: healthy after one passed check, unhealthy after two failed in a row (a slow answer on a
  // busy machine is not a verdict); each check times out after 5 s.
  const observe = (backend: ProxyBackend, passed: boolean) => {
    backend.failedChecks = passed ? 0 : backend.failedChecks + 1;
    const healthy = passed || (backend.healthy && backend.failedChecks < 2);
    if (backend.healthy && !healthy) backend.turnedUnhealthyAt = ++stats.clock;
    backend.healthy = healthy;
  };
  let checking = true;
  const checks: Promise<void>[] = [];
  // Each backend on its own schedule, as an ALB checks each target: a slow answer from one never
  // delays the verdict on another (a draining backend must be turned from within its drain delay).
  const checkUntilClosed = async (backend: ProxyBackend) => {
    while (checking) {
      try {
        const response = await fetch(`http://127.0.0.1:${backend.port}${healthPath}`, {
          signal: AbortSignal.timeout(5_000),
          headers: { connection: 'close' },
        });
        await response.arrayBuffer();
        observe(backend, response.status === 200);
      } catch {
        observe(backend, false);
      }
      await new Promise((resolve) => setTimeout(resolve, options.checkEveryMs ?? 500));
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    backends,
    stats,
    add: (backendPort) => {
      const backend: ProxyBackend = {
        port: backendPort,
        healthy: false,
        requests: 0,
        streamsOpened: 0,
        streamsOpen: 0,
        turnedUnhealthyAt: null,
        firstRefusedAt: null,
        failedChecks: 0,
      };
      backends.push(backend);
      checks.push(checkUntilClosed(backend));
      return backend;
    },
    close: async () => {
      checking = false;
      await Promise.all(checks);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
