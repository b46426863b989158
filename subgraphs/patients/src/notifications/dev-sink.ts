import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { NotificationSender, OutgoingMessage } from './sender';

/** One line of the sink file: the message exactly as it would have gone out. */
export interface SinkEntry extends OutgoingMessage {
  providerMessageId: string;
  sentAt: string;
}

/**
 * The development sender: nothing leaves the machine. Each message is appended as a JSON line to
 * `<dir>/sent.jsonl`, which a person can read directly or through the page `renderSinkPage` draws. The
 * addresses in it are the seeded mock ones; the file sits in the data folder beside the embedded vault.
 */
export class DevSinkSender implements NotificationSender {
  readonly file: string;
  /** Appends in order, one at a time, so concurrent sends never interleave half lines. */
  private tail: Promise<unknown> = Promise.resolve();
  private folderMade: Promise<unknown> | null = null;

  constructor(dir: string) {
    this.file = path.join(dir, 'sent.jsonl');
  }

  async send(message: OutgoingMessage): Promise<{ providerMessageId: string }> {
    const entry: SinkEntry = {
      ...message,
      providerMessageId: `sink-${randomUUID()}`,
      sentAt: new Date().toISOString(),
    };
    const write = this.tail.then(async () => {
      this.folderMade ??= mkdir(path.dirname(this.file), { recursive: true });
      await this.folderMade;
      await appendFile(this.file, `${JSON.stringify(entry)}\n`);
    });
    this.tail = write.catch(() => undefined);
    await write;
    return { providerMessageId: entry.providerMessageId };
  }

  /** Every message sent so far, oldest first (empty before the first). */
  async entries(): Promise<SinkEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as SinkEntry);
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A plain HTML page listing what would have been sent, newest first (the latest `limit`). */
/**
 * A reminder email's answer link, as a button that opens the gateway's reminder page with the token, where
 * the patient's own Confirm and Cancel buttons act (the page is on the same origin as this one, which the
 * gateway serves). Empty for any other message.
 */
function replyAsPatient(entry: SinkEntry, smsToken?: (notificationId: string) => string): string {
  const link = /\/reminder#([A-Za-z0-9_-]{43})/.exec(entry.body);
  // An SMS reminder is answered by a reply through SNS, which `npm start` has not: the sink offers the
  // same page with the reminder's own token instead (derived here; an SMS never carries it).
  const token =
    link?.[1] ??
    (entry.channel === 'sms' && smsToken && entry.body.startsWith('Reminder:')
      ? smsToken(entry.idempotencyKey)
      : null);
  if (!token) return '';
  return `<br><a role="button" style="display:inline-block;margin-top:.4rem;padding:.2rem .6rem;border:1px solid #888;border-radius:4px;text-decoration:none" href="/reminder#${token}">Reply as the patient (confirm or cancel)</a>`;
}

/**
 * `smsToken` derives an SMS reminder's reply token from its notification id (reply-tokens.ts), for the
 * button that stands in for the patient's SMS reply.
 */
export function renderSinkPage(
  entries: readonly SinkEntry[],
  limit = 200,
  smsToken?: (notificationId: string) => string,
): string {
  const newest = entries.slice(-limit).reverse();
  const rows = newest
    .map(
      (
        entry,
      ) => `<tr><td>${escapeHtml(entry.sentAt)}</td><td>${escapeHtml(entry.channel)}</td><td>${escapeHtml(entry.to)}</td>
<td>${entry.subject ? `<strong>${escapeHtml(entry.subject)}</strong><br>` : ''}${escapeHtml(entry.body)}${replyAsPatient(entry, smsToken)}</td><td><code>${escapeHtml(entry.idempotencyKey)}</code></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Notifications (development sink)</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}code{font-size:.8em}</style></head>
<body><h1>Notifications (development sink)</h1>
<p>${entries.length} message${entries.length === 1 ? '' : 's'} would have been sent; newest first${entries.length > limit ? `, the latest ${limit} shown` : ''}. Nothing left this machine.</p>
<table><thead><tr><th>sent at (UTC)</th><th>channel</th><th>to</th><th>message</th><th>notification id</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="5">Nothing sent yet.</td></tr>'}
</tbody></table></body></html>
`;
}
