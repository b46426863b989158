import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { eventually } from '../eventually';
import { jaegerRunning, jaegerUrls, startJaeger, stopJaeger } from './jaeger';
import { ownJaegerConfig, removeOwnJaeger } from './own-jaeger';
import { InfraError, pidAlive, portOpen, readState, type InfraConfig } from './state';

/**
 * The tests' trace store: Jaeger's all-in-one (built by `npm run deploy:tools`) started by infra, taking
 * a span over OTLP/HTTP with a JSON body and giving it back from its query API.
 */

interface JaegerTraceResponse {
  data: {
    traceID: string;
    spans: { spanID: string; operationName: string }[];
    processes: Record<string, { serviceName: string }>;
  }[];
}

/** One span in an OTLP/HTTP JSON request, as any OpenTelemetry SDK's exporter sends it. */
async function postSpan(otlpEndpoint: string, traceId: string, spanId: string): Promise<void> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const response = await fetch(`${otlpEndpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'infra-check' } }] },
          scopeSpans: [
            {
              scope: { name: 'jaeger.int.test' },
              spans: [
                {
                  traceId,
                  spanId,
                  name: 'infra.check',
                  kind: 2,
                  startTimeUnixNano: String(now - 5_000_000n),
                  endTimeUnixNano: String(now),
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
}

/** The trace from the query API, once Jaeger has stored it (it batches for up to 200 ms). */
function readTrace(queryUrl: string, traceId: string): Promise<JaegerTraceResponse['data'][number]> {
  return eventually(async () => {
    const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
    if (response.status !== 200) return undefined;
    const body = (await response.json()) as JaegerTraceResponse;
    return body.data[0];
  }, 30_000);
}

async function expectSpanRoundTrip(otlpEndpoint: string, queryUrl: string): Promise<void> {
  const traceId = crypto.randomBytes(16).toString('hex');
  const spanId = crypto.randomBytes(8).toString('hex');
  await postSpan(otlpEndpoint, traceId, spanId);
  const trace = await readTrace(queryUrl, traceId);
  expect(trace.traceID).toBe(traceId);
  expect(trace.spans.map((span) => [span.spanID, span.operationName])).toEqual([[spanId, 'infra.check']]);
  expect(Object.values(trace.processes).map((process) => process.serviceName)).toEqual(['infra-check']);
}

describe('Jaeger from infra', () => {
  it('is where the test run sends traces: a span posted to TEST_OTLP_ENDPOINT is read back from TEST_JAEGER_QUERY_URL', async () => {
    // jest's global setup exports both from infraUp() (or from the environment, with external servers).
    const otlpEndpoint = process.env['TEST_OTLP_ENDPOINT'];
    const queryUrl = process.env['TEST_JAEGER_QUERY_URL'];
    expect({ otlpEndpoint, queryUrl }).toEqual({
      otlpEndpoint: expect.stringMatching(/^http:\/\//),
      queryUrl: expect.stringMatching(/^http:\/\//),
    });
    await expectSpanRoundTrip(otlpEndpoint ?? '', queryUrl ?? '');
  });

  describe('started on ports of its own in a data folder of its own', () => {
    let config: InfraConfig;

    beforeAll(async () => {
      config = await ownJaegerConfig('infra-jaeger-test-');
    });

    afterAll(() => removeOwnJaeger(config));

    it('starts, records itself, answers only on 127.0.0.1, is reused by a second start, and stops', async () => {
      const state = await startJaeger(config);
      expect(readState(config).jaeger).toEqual(state);
      expect(state).toMatchObject({
        otlpHttpPort: config.jaegerOtlpHttpPort,
        otlpGrpcPort: config.jaegerOtlpGrpcPort,
        queryPort: config.jaegerQueryPort,
        version: 'v1.75.0',
      });
      expect(await jaegerRunning(state)).toBe(true);
      // Nothing of it is reachable from another machine: every port is bound to the loopback address.
      const outside = Object.values(os.networkInterfaces())
        .flat()
        .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
      if (outside) {
        for (const port of [state.otlpHttpPort, state.otlpGrpcPort, state.queryPort, state.queryGrpcPort])
          expect({ port, open: await portOpen(port, outside) }).toEqual({ port, open: false });
      }
      const urls = jaegerUrls(state);
      await expectSpanRoundTrip(urls.otlpEndpoint, urls.queryUrl);

      // A second start (another test worker, `infra:up` again) finds it and starts nothing new.
      expect((await startJaeger(config)).pid).toBe(state.pid);

      await stopJaeger(config);
      expect(pidAlive(state.pid)).toBe(false);
      expect(readState(config).jaeger).toBeUndefined();
      expect(await jaegerRunning(state)).toBe(false);
    });

    it('refuses to start on a port another process holds, naming it', async () => {
      const holder = net.createServer();
      await new Promise<void>((resolve) => holder.listen(config.jaegerOtlpHttpPort, '127.0.0.1', resolve));
      try {
        await expect(startJaeger(config)).rejects.toThrow(
          new InfraError(
            `Jaeger cannot start: otlpHttpPort 127.0.0.1:${config.jaegerOtlpHttpPort} is taken by another process`,
          ),
        );
        expect(readState(config).jaeger).toBeUndefined();
      } finally {
        await new Promise((resolve) => holder.close(resolve));
      }
    });

    it('without the binary, fails saying how to build it', async () => {
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-jaeger-tools-'));
      await expect(startJaeger({ ...config, toolsBinDir: empty })).rejects.toThrow(
        `jaeger is missing from ${empty}: run \`npm run deploy:tools\``,
      );
      fs.rmSync(empty, { recursive: true, force: true });
    });
  });
});
