import express from 'express';
import type { AddressInfo } from 'node:net';
import { operationsIn, useBatchLimit } from './use-batch-limit';

describe('useBatchLimit', () => {
  it('lets a batch up to the limit through and refuses a larger one with BATCH_TOO_LARGE', async () => {
    const app = express();
    app.use(express.json());
    app.use(useBatchLimit(2));
    app.post('/', (_request, response) => {
      response.json({ ok: true });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      expect((await post([{ query: '{a}' }, { query: '{b}' }])).status).toBe(200);
      expect((await post({ query: '{a}' })).status).toBe(200);
      const refused = await post([{ query: '{a}' }, { query: '{b}' }, { query: '{c}' }]);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        errors: [
          { message: 'Too many operations in one batched request.', extensions: { code: 'BATCH_TOO_LARGE' } },
        ],
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('counts each operation of a batch for the per-subject limit', () => {
    expect(operationsIn({ query: '{a}' })).toBe(1);
    expect(operationsIn([{}, {}, {}])).toBe(3);
    expect(operationsIn([])).toBe(1);
  });
});
