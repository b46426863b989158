import { metrics, PollingLoop, type Logger } from '@clinic/platform';
import type { PatientsDatabase } from '../database';
import type { ClinicDirectory } from './clinic-directory';
import { composeMessage, type NotificationReason, type NotificationRecipient } from './compose-message';
import type { ReplyTokens } from '../reminders/reply-tokens';
import type { NotificationSender } from './sender';

/**
 * What the dispatcher needs from the vault: current contact details for a batch of patients. A patient
 * missing from the answer has none (never registered, or erased).
 */
export type ContactLookup = (
  clientIds: readonly string[],
) => Promise<ReadonlyMap<string, { email: string; phone: string }>>;

export interface DispatcherOptions {
  db: PatientsDatabase;
  sender: NotificationSender;
  contacts: ContactLookup;
  /** Where clinic admins' alerts go (CLINIC_ALERT_EMAIL). */
  clinicAlertEmail: string;
  directory?: ClinicDirectory;
  /** Reminder emails link to this page with the reminder's reply token in the URL's fragment. */
  replyLinks?: { tokens: ReplyTokens; pageUrl: () => string | null };
  /** SMS replies reach us (SNS two-way): an SMS reminder asks for C or X. */
  smsReplies?: boolean;
  logger: Logger;
  batchSize?: number;
  /** Sends in flight at once within a batch. */
  concurrency?: number;
  /** Attempts before a message is marked failed. */
  maxAttempts?: number;
  /** Wait before attempt n+1 after n failures; default 2^(n-1) s, at most 5 min. */
  backoffMs?: (failures: number) => number;
  /** How long a claimed message is left to its dispatcher before another may claim it again. */
  leaseMs?: number;
  /** How long an idle dispatcher waits before looking again, unless poked. */
  idleMs?: number;
}

interface ClaimedRow {
  id: string;
  recipient: NotificationRecipient;
  client_id: string | null;
  clinic_id: string;
  channel: 'sms' | 'email';
  reason: NotificationReason;
  appointment_id: string;
  appointment_start: Date;
  doctor_id: string;
  attempts: number;
}

type Outcome =
  | { id: string; sent: true; providerMessageId: string }
  | { id: string; sent: false; error: string; permanent: boolean; attempts: number };

const defaultBackoff = (failures: number) => Math.min(2 ** (failures - 1) * 1_000, 300_000);

/**
 * Sends queued notifications. Each pass claims a batch of due rows in one statement (FOR UPDATE SKIP
 * LOCKED, so several dispatchers share the queue without sending a row twice) and leases them by pushing
 * `next_attempt_at` ahead; it then reads the batch's contact details from the vault in one go, sends, and
 * records every outcome in one statement. No transaction is held while sending: the embedded database has a
 * single connection, which the service's queries need meanwhile.
 *
 * A provider failure is retried with backoff up to `maxAttempts`, then the row is marked failed. If the
 * process dies after a send and before its outcome is recorded, the lease runs out and the message is sent
 * once more; the notification id goes with it as the idempotency key so the duplicate can be recognised.
 */
export class NotificationDispatcher {
  private readonly loop: PollingLoop;

  constructor(private readonly options: DispatcherOptions) {
    this.loop = new PollingLoop({
      work: () => this.runOnce(),
      logger: options.logger,
      failureMessage: 'notification dispatcher failed; retrying',
      idleMs: options.idleMs ?? 1_000,
    });
  }

  /** Claims and sends one batch; returns how many rows it claimed. */
  async runOnce(): Promise<number> {
    const { db, logger } = this.options;
    const rows = await db.$queryRawUnsafe<ClaimedRow[]>(
      `UPDATE "notification" SET "attempts" = "attempts" + 1,
         "next_attempt_at" = now() + $2 * interval '1 millisecond'
       WHERE "id" IN (SELECT "id" FROM "notification"
                      WHERE "status" = 'pending' AND "next_attempt_at" <= now()
                      ORDER BY "next_attempt_at" LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING "id"::text, "recipient"::text, "client_id"::text, "clinic_id"::text, "channel"::text,
         "reason"::text, "appointment_id"::text, "appointment_start", "doctor_id"::text, "attempts"`,
      this.options.batchSize ?? 100,
      this.options.leaseMs ?? 60_000,
    );
    if (rows.length === 0) return 0;
    // One vault read for the whole batch; if the vault does not answer, every patient message retries.
    const clientIds = [...new Set(rows.flatMap((row) => (row.client_id ? [row.client_id] : [])))];
    let contacts: Awaited<ReturnType<ContactLookup>> | Error = new Map();
    if (clientIds.length > 0) {
      contacts = await this.options
        .contacts(clientIds)
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    }
    const outcomes = await mapLimited(rows, this.options.concurrency ?? 16, (row) =>
      this.sendOne(row, contacts),
    );
    await this.record(outcomes);
    // mapLimited keeps the order: each outcome is its row's.
    outcomes.forEach((outcome, index) =>
      metrics.notifications.inc({
        service: 'patients',
        channel: rows[index]?.channel ?? 'unknown',
        outcome: outcome.sent ? 'sent' : 'failed',
      }),
    );
    for (const outcome of outcomes) {
      if (!outcome.sent) {
        // Ids and the provider's error name only: never an address, a number or the provider's message.
        logger.warn(
          { notificationId: outcome.id, attempts: outcome.attempts, error: outcome.error },
          outcome.permanent ? 'notification failed for good' : 'notification send failed; will retry',
        );
      }
    }
    return rows.length;
  }

  private async sendOne(
    row: ClaimedRow,
    contacts: Awaited<ReturnType<ContactLookup>> | Error,
  ): Promise<Outcome> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    try {
      let to: string;
      if (row.recipient === 'clinic_admins') {
        to = this.options.clinicAlertEmail;
      } else {
        if (contacts instanceof Error) throw contacts; // the vault did not answer: retry later
        const contact = row.client_id ? contacts.get(row.client_id) : undefined;
        if (!contact)
          return {
            id: row.id,
            sent: false,
            error: 'NoContactDetails',
            permanent: true,
            attempts: row.attempts,
          };
        to = row.channel === 'sms' ? contact.phone : contact.email;
      }
      const { directory } = this.options;
      const [clinic, doctorName] = directory
        ? await Promise.all([directory.clinic(row.clinic_id), directory.doctorName(row.doctor_id)])
        : [null, null];
      const content = composeMessage({
        replyUrl: this.replyUrl(row),
        smsReply: row.channel === 'sms' && this.options.smsReplies === true,
        reason: row.reason,
        recipient: row.recipient,
        appointmentId: row.appointment_id,
        appointmentStart: new Date(row.appointment_start),
        clinic,
        doctorName,
      });
      const { providerMessageId } = await this.options.sender.send({
        channel: row.channel,
        to,
        // A text message has no subject line.
        ...(row.channel === 'email' ? content : { body: content.body }),
        idempotencyKey: row.id,
      });
      return { id: row.id, sent: true, providerMessageId };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'UnknownError';
      return {
        id: row.id,
        sent: false,
        error: name,
        permanent: row.attempts >= maxAttempts,
        attempts: row.attempts,
      };
    }
  }

  /**
   * The answer link of a reminder email: the page, and the token after `#` so that it never reaches a
   * server's access log. The token is derived again here from the notification id (reply-tokens.ts).
   */
  private replyUrl(row: ClaimedRow): string | null {
    const links = this.options.replyLinks;
    const page = links?.pageUrl();
    if (!links || !page || row.reason !== 'reminder' || row.channel !== 'email') return null;
    return `${page}#${links.tokens.tokenFor(row.id)}`;
  }

  private async record(outcomes: Outcome[]): Promise<void> {
    const sent = outcomes.filter((o): o is Extract<Outcome, { sent: true }> => o.sent);
    const failed = outcomes.filter((o): o is Extract<Outcome, { sent: false }> => !o.sent);
    const backoff = this.options.backoffMs ?? defaultBackoff;
    const { db } = this.options;
    if (sent.length > 0) {
      await db.$executeRawUnsafe(
        `UPDATE "notification" n SET "status" = 'sent', "sent_at" = now(), "provider_message_id" = t."pid",
           "last_error" = NULL
         FROM unnest($1::uuid[], $2::text[]) AS t("id", "pid") WHERE n."id" = t."id"`,
        sent.map((o) => o.id),
        sent.map((o) => o.providerMessageId),
      );
    }
    if (failed.length > 0) {
      await db.$executeRawUnsafe(
        `UPDATE "notification" n SET "last_error" = t."error",
           "status" = CASE WHEN t."permanent" THEN 'failed'::"notification_status" ELSE 'pending' END,
           "next_attempt_at" = now() + t."wait_ms" * interval '1 millisecond'
         FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::float8[]) AS t("id", "error", "permanent", "wait_ms")
         WHERE n."id" = t."id"`,
        failed.map((o) => o.id),
        failed.map((o) => o.error),
        failed.map((o) => o.permanent),
        failed.map((o) => (o.permanent ? 0 : backoff(o.attempts))),
      );
    }
  }

  start(): void {
    this.loop.start();
  }

  /** Wakes an idle dispatcher at once, e.g. right after notifications were queued. */
  poke(): void {
    this.loop.poke();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}

/** Runs `work` over `items` with at most `limit` at once, keeping their order (small enough not to need a library). */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  // One iterator shared by the workers: each takes the next item when it is free.
  const queue = items.entries();
  const worker = async () => {
    for (const [index, item] of queue) results[index] = await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
