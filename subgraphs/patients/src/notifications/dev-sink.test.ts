import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevSinkSender, renderSinkPage } from './dev-sink';

const dir = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'sink-test-')), 'notifications');

describe('DevSinkSender', () => {
  it('appends each message as one JSON line, in order, even when sent concurrently', async () => {
    const sink = new DevSinkSender(dir());
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        sink.send({
          channel: 'sms',
          to: '+61255501234',
          body: `message ${index}`,
          idempotencyKey: `key-${index}`,
        }),
      ),
    );
    const lines = readFileSync(sink.file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(20);
    const entries = lines.map((line) => JSON.parse(line) as { body: string; providerMessageId: string });
    expect(entries.map((entry) => entry.body)).toEqual(
      Array.from({ length: 20 }, (_, index) => `message ${index}`),
    );
    expect(entries.map((entry) => entry.providerMessageId)).toEqual(
      sent.map((result) => result.providerMessageId),
    );
    expect(await sink.entries()).toHaveLength(20);
  });

  it('reads as empty before anything was sent', async () => {
    await expect(new DevSinkSender(dir()).entries()).resolves.toEqual([]);
  });
});

describe('renderSinkPage', () => {
  it('lists messages newest first and escapes what it shows', async () => {
    const sink = new DevSinkSender(dir());
    await sink.send({
      channel: 'email',
      to: 'pat@example.com',
      subject: 'First',
      body: 'older',
      idempotencyKey: 'a',
    });
    await sink.send({ channel: 'sms', to: '+61255501234', body: 'newer <b>&', idempotencyKey: 'b' });
    const page = renderSinkPage(await sink.entries());
    expect(page).toContain('2 messages would have been sent');
    expect(page.indexOf('newer')).toBeLessThan(page.indexOf('older'));
    expect(page).toContain('newer &#60;b&#62;&#38;');
    expect(page).not.toContain('<b>&');
  });

  it("gives a reminder email a button that answers as the patient through the gateway's page", async () => {
    const sink = new DevSinkSender(dir());
    const token = 'Ab0_-'.repeat(8) + 'xyz';
    await sink.send({
      channel: 'email',
      to: 'pat@example.com',
      subject: 'Appointment reminder',
      body: `Reminder: ... open http://127.0.0.1:4000/reminder#${token} (it asks before it does anything).`,
      idempotencyKey: 'r',
    });
    await sink.send({ channel: 'sms', to: '+61255501234', body: 'no link here', idempotencyKey: 's' });
    const page = renderSinkPage(await sink.entries());
    expect(page.split('Reply as the patient')).toHaveLength(2);
    expect(page).toContain(`href="/reminder#${token}"`);
  });

  it('gives an SMS reminder the same button, with its own token, standing in for a reply', () => {
    const entries = [
      {
        channel: 'sms' as const,
        to: '+61255501234',
        body: 'Reminder: your appointment …',
        idempotencyKey: 'n-1',
      },
      {
        channel: 'sms' as const,
        to: '+61255501234',
        body: 'Your appointment has a new doctor',
        idempotencyKey: 'n-2',
      },
    ].map((message) => ({ ...message, providerMessageId: 'p', sentAt: '2027-01-01T00:00:00Z' }));
    const token = (id: string) => `${id}-`.padEnd(43, 'x');
    const page = renderSinkPage(entries, 200, token);
    expect(page.split('Reply as the patient')).toHaveLength(2);
    expect(page).toContain(`href="/reminder#${token('n-1')}"`);
    expect(renderSinkPage(entries)).not.toContain('Reply as the patient');
  });

  it('says so when nothing was sent', () => {
    expect(renderSinkPage([])).toContain('Nothing sent yet.');
  });
});
