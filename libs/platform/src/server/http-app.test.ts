import pino from 'pino';
import { metrics } from '../metrics/catalogue';
import { closeServer, createHttpApp, listen } from './http-app';

describe('the HTTP shell times every answer by its route template, never its URL', () => {
  it('labels matched templates, mounted paths, a named stream and everything else as `other`', async () => {
    const canary = `zqcanary${Date.now()}`;
    const app = createHttpApp({
      service: 'doctors',
      logger: pino({ level: 'silent' }),
      readiness: async () => ({ database: 'ok' }),
    });
    app.get('/console/assets/:file', (_request, response) => void response.send('asset'));
    app.use('/graphql', (request, response, next) => {
      if (request.headers.accept !== 'text/event-stream') return next();
      response.locals['httpRoute'] = '/graphql/stream';
      response.end();
    });
    app.use('/graphql', (_request, response) => void response.json({ data: null }));
    const { server, port } = await listen(app, 0);
    try {
      const url = (path: string) => `http://127.0.0.1:${port}${path}`;
      await fetch(url('/healthz'));
      await fetch(url(`/console/assets/${canary}.js?${canary}=1`));
      await fetch(url('/graphql'), { method: 'POST', headers: { 'x-canary': canary } });
      await fetch(url('/graphql'), { headers: { accept: 'text/event-stream' } });
      await fetch(url(`/graphql/${canary}`));
      await fetch(url(`/${canary}`));
      // The response closes just after the client has it: wait for the last one to be counted.
      for (let waited = 0; waited < 100; waited++) {
        const values = (await metrics.httpDuration.get()).values;
        if (values.filter((sample) => sample.metricName?.endsWith('_count')).length >= 6) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const counted = (await metrics.httpDuration.get()).values
        .filter((sample) => sample.metricName === 'http_server_request_duration_seconds_count')
        .map((sample) => [
          sample.labels.http_route,
          sample.labels.http_request_method,
          sample.labels.http_response_status_code,
          sample.value,
        ]);
      expect(counted.sort()).toEqual(
        [
          ['/healthz', 'GET', '200', 1],
          ['/console/assets/:file', 'GET', '200', 1],
          ['/graphql', 'POST', '200', 1],
          ['/graphql/stream', 'GET', '200', 1],
          // A path under a mount, and a path nobody serves: the caller's text is never a label.
          ['other', 'GET', '200', 1],
          ['other', 'GET', '404', 1],
        ].sort(),
      );
      expect(JSON.stringify(await metrics.httpDuration.get())).not.toContain(canary);
    } finally {
      await closeServer(server);
    }
  });
});
