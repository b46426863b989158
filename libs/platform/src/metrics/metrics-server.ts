import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { registry, type ServiceLabel } from './catalogue';

export interface MetricsServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Serves the process's metrics in Prometheus's text format at `GET /metrics` on a port of its own, never
 * the public GraphQL port: the NetworkPolicies let only the monitoring namespace reach it. It answers
 * nothing else (404), and reads no body. With `service` (one service in this process), the process and
 * Node.js metrics carry it too.
 */
export async function startMetricsServer(options: {
  port: number;
  host: string;
  logger: Logger;
  service?: ServiceLabel;
}): Promise<MetricsServer> {
  if (options.service) registry.setDefaultLabels({ service: options.service });
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => {
        options.logger.error({ err: error }, 'metrics scrape failed');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics unavailable\n');
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`cannot serve metrics on ${options.host}:${options.port}: ${error.message}`)),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // "metricsPort", not "port": tests find a service's own port by the `"port":N ... listening` log line.
  options.logger.info({ metricsPort: port }, 'metrics served at /metrics');
  return {
    port,
    stop: async () => {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
