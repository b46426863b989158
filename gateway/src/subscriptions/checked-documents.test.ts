import { until } from '@clinic/testing';
import { buildSchema } from 'graphql';
import { endpoint, schema, subscribe } from './testing/sse-endpoint-harness';

describe('subscription documents', () => {
  it('are checked once per text and schema: the same text shares one document, a new schema checks again', async () => {
    let current = schema;
    const { hub, port, release, stop } = await endpoint(() => current);
    release();
    const joined: unknown[] = [];
    const attach = hub.attach.bind(hub);
    hub.attach = (request, writer) => {
      joined.push(request.document);
      return attach(request, writer);
    };
    const sockets: ReturnType<typeof subscribe>['socket'][] = [];
    try {
      for (let n = 0; n < 2; n++) {
        const { socket, firstBytes } = subscribe(port);
        sockets.push(socket);
        expect(await firstBytes).toMatch(/^HTTP\/1\.1 200/);
      }
      expect(joined).toHaveLength(2);
      expect(joined[1]).toBe(joined[0]);
      // The supergraph changed and no longer has the field: the same text is now refused.
      current = buildSchema('type Query { ok: Boolean } type Subscription { ok: Boolean }');
      const { socket } = subscribe(port);
      sockets.push(socket);
      let text = '';
      socket.on('data', (chunk) => (text += String(chunk)));
      await until(() => text.includes('event: complete'), 30_000);
      expect(text).toMatch(/Cannot query field \\"slotAvailabilityChanged\\"/);
      expect(joined).toHaveLength(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await stop();
    }
  });
});
