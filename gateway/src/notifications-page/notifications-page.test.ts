import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { mountNotificationsPage, NOTIFICATIONS_PAGE_PATH } from './notifications-page';

/** Serves `app` on a free port, asks for the page as a system administrator, and closes. */
async function statusOf(production: boolean): Promise<number> {
  const app = express();
  let fetched = false;
  app.get('/subgraph-page', (_request, response) => {
    fetched = true;
    response.type('html').send('<h1>sink</h1>');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mountNotificationsPage(app, {
    url: `${base}/subgraph-page`,
    verifyToken: async () => ({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' }),
    internalIdentitySecret: 'x'.repeat(32),
    timeoutMs: 5000,
    logger: pino({ level: 'silent' }),
    production,
  });
  try {
    const response = await fetch(`${base}${NOTIFICATIONS_PAGE_PATH}`);
    return response.status === 200 && !fetched ? -1 : response.status;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('the notifications page at the gateway', () => {
  it('is served in development and not at all in production', async () => {
    expect(await statusOf(false)).toBe(200);
    expect(await statusOf(true)).toBe(404);
  });
});
