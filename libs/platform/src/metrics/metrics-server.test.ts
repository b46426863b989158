import pino from 'pino';
import { startMetricsServer, type MetricsServer } from './metrics-server';

let server: MetricsServer;
const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

beforeAll(async () => {
  server = await startMetricsServer({ port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }) });
});
afterAll(() => server.stop());

describe('the metrics server', () => {
  it('serves the registry in the Prometheus text format at GET /metrics', async () => {
    const response = await fetch(url('/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
  });

  it('answers nothing else: other paths and methods get a bare 404', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/graphql'],
      ['GET', '/healthz'],
      ['GET', '/metrics/../metrics/x'],
      ['GET', '/metricsx'],
      ['POST', '/metrics'],
      ['DELETE', '/metrics'],
    ] as const) {
      const response = await fetch(url(path), { method });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      expect(await response.text()).toBe('Not found\n');
    }
  });
});
