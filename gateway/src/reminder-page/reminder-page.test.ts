import type { AddressInfo } from 'node:net';
import express from 'express';
import repositoryManifest from '../../../clients/generated/persisted-documents.json';
import { answerReminderDocumentId, mountReminderPage, REMINDER_PAGE_PATH } from './reminder-page';

describe('the reminder page at the gateway', () => {
  it('serves a page that asks before acting, and a script sending the registered document', async () => {
    const app = express();
    mountReminderPage(app);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await fetch(`${base}${REMINDER_PAGE_PATH}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await page.text();
      expect(html).toContain('data-answer="CONFIRM"');
      expect(html).toContain('data-answer="CANCEL"');
      // No inline script: the page's only script is its own file.
      expect(html.match(/<script/g)).toHaveLength(1);
      expect(html).toContain('<script src="/reminder/page.js"></script>');
      const js = await (await fetch(`${base}${REMINDER_PAGE_PATH}/page.js`)).text();
      const id = answerReminderDocumentId();
      expect(js).toContain(JSON.stringify(id));
      // It acts only when a button is clicked, and takes the token out of the address bar first.
      expect(js.indexOf("addEventListener('click'")).toBeLessThan(js.indexOf('fetch('));
      expect(js.indexOf('history.replaceState')).toBeLessThan(js.indexOf('fetch('));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('names the AnswerReminder document of the manifest it is built with, and refuses one without it', () => {
    const id = answerReminderDocumentId();
    expect((repositoryManifest as Record<string, string>)[id]).toMatch(/^mutation AnswerReminder\(/);
    expect(() => answerReminderDocumentId({ 'sha256:00': 'query Other { x }' })).toThrow(/AnswerReminder/);
  });
});
