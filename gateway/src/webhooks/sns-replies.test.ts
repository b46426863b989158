import type { AddressInfo } from 'node:net';
import { badRequestHandler, createHttpApp, createLogger, INTERNAL_IDENTITY_HEADER } from '@clinic/platform';
import { decodeJwt } from 'jose';
import express from 'express';
import { startGatewayAlone } from '../testing/gateway-alone';
import { mountSnsReplies, SNS_REPLIES_PATH } from './sns-replies';

const SECRET = 'x'.repeat(32);

async function listenOn(app: express.Express): Promise<{ base: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the gateway passes SNS messages to the patients service', () => {
  it('forwards the body unchanged with an anonymous signed identity, and relays the answer', async () => {
    const received: { body: string; identity: unknown }[] = [];
    const patients = express();
    patients.post('/webhooks/sns', express.text({ type: () => true }), (request, response) => {
      const token = String(request.headers[INTERNAL_IDENTITY_HEADER] ?? '');
      received.push({ body: String(request.body), identity: decodeJwt(token) });
      response.status(403).json({ error: { code: 'FORBIDDEN' } });
    });
    const subgraph = await listenOn(patients);
    const gatewayApp = createHttpApp({
      service: 'gateway',
      logger: createLogger('gateway', 'silent'),
      draining: () => false,
      readiness: () => Promise.resolve({}),
    });
    mountSnsReplies(gatewayApp, {
      url: `${subgraph.base}/webhooks/sns`,
      internalIdentitySecret: SECRET,
      timeoutMs: 5_000,
      logger: createLogger('gateway', 'silent'),
    });
    const gateway = await listenOn(gatewayApp);
    try {
      const body = '{"Type":"Notification","Message":"{\\"messageBody\\":\\"C\\"}"}';
      const answer = await fetch(`${gateway.base}${SNS_REPLIES_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=UTF-8' },
        body,
      });
      expect(answer.status).toBe(403);
      expect(await answer.json()).toEqual({ error: { code: 'FORBIDDEN' } });
      expect(received).toHaveLength(1);
      expect(received[0]?.body).toBe(body);
      // Signed, and for nobody: SNS is no user of ours.
      expect(received[0]?.identity).not.toHaveProperty('role');
      expect(received[0]?.identity).not.toHaveProperty('sub');
    } finally {
      await gateway.close();
      await subgraph.close();
    }
  });

  it('answers 503 when the patients service cannot be reached, so SNS retries', async () => {
    const gatewayApp = express();
    mountSnsReplies(gatewayApp, {
      url: 'http://127.0.0.1:1/webhooks/sns',
      internalIdentitySecret: SECRET,
      timeoutMs: 2_000,
      logger: createLogger('gateway', 'silent'),
    });
    const gateway = await listenOn(gatewayApp);
    try {
      const answer = await fetch(`${gateway.base}${SNS_REPLIES_PATH}`, { method: 'POST', body: '{}' });
      expect(answer.status).toBe(503);
    } finally {
      await gateway.close();
    }
  });
});

describe('the size of an SNS message', () => {
  // SNS's messages are a few KB; the gateway forwards at most 64 KiB, whichever content type is claimed.
  const LIMIT = 64 * 1024;

  async function gatewayInFrontOf(received: string[]) {
    const patients = express();
    patients.post('/webhooks/sns', express.text({ type: () => true, limit: '1mb' }), (request, response) => {
      received.push(String(request.body));
      response.status(200).json({ ok: true });
    });
    const subgraph = await listenOn(patients);
    const logger = createLogger('gateway', 'silent');
    const gatewayApp = createHttpApp({
      service: 'gateway',
      logger,
      draining: () => false,
      readiness: () => Promise.resolve({}),
    });
    mountSnsReplies(gatewayApp, {
      url: `${subgraph.base}/webhooks/sns`,
      internalIdentitySecret: SECRET,
      timeoutMs: 5_000,
      logger,
    });
    gatewayApp.use(badRequestHandler(logger));
    const gateway = await listenOn(gatewayApp);
    return {
      post: (body: string, contentType: string) =>
        fetch(`${gateway.base}${SNS_REPLIES_PATH}`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
        }),
      close: async () => {
        await gateway.close();
        await subgraph.close();
      },
    };
  }

  /** A compact JSON object of exactly `bytes` bytes. */
  const message = (bytes: number) => `{"Message":"${'a'.repeat(bytes - 14)}"}`;

  it('forwards one of exactly 64 KiB and refuses one byte more with 413, as text or as JSON', async () => {
    const received: string[] = [];
    const gateway = await gatewayInFrontOf(received);
    try {
      for (const contentType of ['text/plain; charset=UTF-8', 'application/json']) {
        received.length = 0;
        expect(message(LIMIT)).toHaveLength(LIMIT);
        expect((await gateway.post(message(LIMIT), contentType)).status).toBe(200);
        expect(received).toEqual([message(LIMIT)]);
        const over = await gateway.post(message(LIMIT + 1), contentType);
        expect({ contentType, status: over.status }).toEqual({ contentType, status: 413 });
        const body = (await over.json()) as { errors: { extensions: { code: string } }[] };
        expect(body.errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
        expect(received).toHaveLength(1);
      }
    } finally {
      await gateway.close();
    }
  });
});

describe('the per-address limits on /webhooks/sns', () => {
  it('refuses one address past its requests per minute with 429, through the whole gateway, and passes none of those on', async () => {
    const received: string[] = [];
    const patients = express();
    patients.post('/webhooks/sns', express.text({ type: () => true }), (request, response) => {
      received.push(String(request.body));
      response.status(200).json({ ok: true });
    });
    const subgraph = await listenOn(patients);
    const gateway = await startGatewayAlone({
      snsReplies: { url: `${subgraph.base}/webhooks/sns` },
      hardening: { ipRequestsPerMinute: 3 },
    });
    try {
      const post = (n: number) =>
        fetch(`${gateway.url.replace('/graphql', '')}${SNS_REPLIES_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=UTF-8' },
          body: `{"MessageId":"m${n}"}`,
        });
      const statuses: number[] = [];
      for (let n = 1; n <= 5; n++) statuses.push((await post(n)).status);
      // Just inside the limit, then one past it and more.
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(received).toEqual(['{"MessageId":"m1"}', '{"MessageId":"m2"}', '{"MessageId":"m3"}']);
    } finally {
      await gateway.stop();
      await subgraph.close();
    }
  });
});
