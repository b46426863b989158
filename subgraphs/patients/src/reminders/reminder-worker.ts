import { randomUUID } from 'node:crypto';
import { inTransaction, PollingLoop, type Logger, type RawSql } from '@clinic/platform';
import type { PatientsDatabase } from '../database';
import type { Channel } from './reminder-settings';
import type { ReplyTokens } from './reply-tokens';

/** The time the worker goes by; tests pass a fake clock. */
export type Clock = () => Date;

export interface ReminderWorkerOptions {
  db: PatientsDatabase;
  logger: Logger;
  clock?: Clock;
  batchSize?: number;
  /** How long an idle worker waits before looking again, unless poked. */
  idleMs?: number;
  /** Called after a batch queued notifications: pokes the dispatcher so they go out at once. */
  onQueued?: () => void;
  /** When set, each reminder sent gets its reply row (an email its token, reply-tokens.ts) in the same pass. */
  replyTokens?: ReplyTokens;
}

interface DueRow {
  id: string;
  appointment_id: string;
  client_id: string;
  clinic_id: string;
  doctor_id: string;
  appointment_start: Date;
  preferred: Channel;
  opt_outs: Channel[];
  clinic_channels: Channel[];
}

export type SkipReason = 'started' | 'no_channel';

/**
 * The channel a reminder goes by, decided when it falls due (so a later opt-out or clinic change counts):
 * the patient's preferred channel if the clinic sends reminders on it and the patient has not opted out of
 * reminders on it, else the other channel under the same two conditions, else none.
 */
export function reminderChannel(
  preferred: Channel,
  optOuts: readonly Channel[],
  clinicChannels: readonly Channel[],
): Channel | null {
  const allowed = (channel: Channel) => clinicChannels.includes(channel) && !optOuts.includes(channel);
  if (allowed(preferred)) return preferred;
  const other: Channel = preferred === 'sms' ? 'email' : 'sms';
  return allowed(other) ? other : null;
}

/**
 * Turns due reminders into notifications. Each pass, in one transaction: claims the earliest due pending
 * reminders (FOR UPDATE SKIP LOCKED, so replicas never claim the same row), writes a `notification` row
 * (reason `reminder`, keyed by the reminder id) for each that has a channel, and closes every claimed
 * reminder as queued or skipped. The existing dispatcher sends the notification with its own guarantees;
 * a process killed at any point either committed the whole pass or none of it, so each reminder becomes
 * exactly one notification.
 */
export class ReminderWorker {
  private readonly loop: PollingLoop;
  private readonly clock: Clock;

  constructor(private readonly options: ReminderWorkerOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.loop = new PollingLoop({
      work: () => this.runOnce(),
      logger: options.logger,
      failureMessage: 'reminder worker failed; retrying',
      idleMs: options.idleMs ?? 5_000,
    });
  }

  /** Claims and queues one batch; returns how many reminders it closed. */
  async runOnce(): Promise<number> {
    const now = this.clock();
    const { queued, closed } = await inTransaction(this.options.db, (tx) =>
      claimAndQueue(tx, now, this.options.batchSize ?? 500, this.options.replyTokens),
    );
    if (queued > 0) this.options.onQueued?.();
    return closed;
  }

  start(): void {
    this.loop.start();
  }

  poke(): void {
    this.loop.poke();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}

/** One pass, in the caller's transaction (exported so a test can abort it midway, as a killed process would). */
export async function claimAndQueue(
  tx: RawSql,
  now: Date,
  limit: number,
  tokens?: ReplyTokens,
): Promise<{ queued: number; closed: number }> {
  // The patient's row and the clinic's settings are read as they are now; only the reminder is locked.
  const rows = await tx.$queryRawUnsafe<DueRow[]>(
    `SELECT r."id"::text, r."appointment_id"::text, r."client_id"::text, r."clinic_id"::text,
       r."doctor_id"::text, r."appointment_start",
       COALESCE(p."preferred_channel", 'sms')::text AS "preferred",
       COALESCE(p."reminder_opt_outs", '{}')::text[] AS "opt_outs",
       COALESCE(s."channels", '{sms,email}')::text[] AS "clinic_channels"
     FROM "reminder" r
     LEFT JOIN "patient" p ON p."client_id" = r."client_id"
     LEFT JOIN "clinic_reminder_settings" s ON s."clinic_id" = r."clinic_id"
     WHERE r."status" = 'pending' AND r."due_at" <= $1
     ORDER BY r."due_at" LIMIT $2
     FOR UPDATE OF r SKIP LOCKED`,
    now,
    limit,
  );
  if (rows.length === 0) return { queued: 0, closed: 0 };
  const decided = rows.map((row) => {
    const channel = reminderChannel(row.preferred, row.opt_outs, row.clinic_channels);
    // A reminder that fell due while nothing ran (an outage past the start) would only confuse.
    const skip: SkipReason | null =
      new Date(row.appointment_start) <= now ? 'started' : channel === null ? 'no_channel' : null;
    return { row, channel, skip, notificationId: skip === null ? randomUUID() : null };
  });
  const sending = decided.filter((d) => d.skip === null && d.channel !== null);
  if (sending.length > 0) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "notification" ("id", "recipient", "client_id", "clinic_id", "channel", "reason",
         "appointment_id", "appointment_start", "doctor_id", "event_id")
       SELECT t."id", 'patient', t."client_id", t."clinic_id", t."channel"::"contact_channel", 'reminder',
         t."appointment_id", t."appointment_start", t."doctor_id", t."reminder_id"
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::timestamptz[], $7::uuid[],
                   $8::uuid[])
         AS t("id", "client_id", "clinic_id", "channel", "appointment_id", "appointment_start", "doctor_id",
              "reminder_id")`,
      sending.map((d) => d.notificationId),
      sending.map((d) => d.row.client_id),
      sending.map((d) => d.row.clinic_id),
      sending.map((d) => d.channel),
      sending.map((d) => d.row.appointment_id),
      sending.map((d) => d.row.appointment_start),
      sending.map((d) => d.row.doctor_id),
      sending.map((d) => d.row.id),
    );
  }
  // Every reminder sent can be answered: an email by its link's token, an SMS by a reply from the number.
  const answerable = tokens ? sending : [];
  if (tokens && answerable.length > 0) {
    // The answer counts for this reminder's time only, until the appointment starts.
    await tx.$executeRawUnsafe(
      `INSERT INTO "reminder_reply" ("token_hash", "reminder_id", "notification_id", "appointment_id",
         "client_id", "clinic_id", "appointment_start", "expires_at", "channel")
       SELECT t."token_hash", t."reminder_id", t."notification_id", t."appointment_id", t."client_id",
         t."clinic_id", t."appointment_start", t."appointment_start", t."channel"::"contact_channel"
       FROM unnest($1::bytea[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::timestamptz[],
                   $8::text[])
         AS t("token_hash", "reminder_id", "notification_id", "appointment_id", "client_id", "clinic_id",
              "appointment_start", "channel")`,
      answerable.map((d) => tokens.hash(tokens.tokenFor(d.notificationId ?? ''))),
      answerable.map((d) => d.row.id),
      answerable.map((d) => d.notificationId),
      answerable.map((d) => d.row.appointment_id),
      answerable.map((d) => d.row.client_id),
      answerable.map((d) => d.row.clinic_id),
      answerable.map((d) => d.row.appointment_start),
      answerable.map((d) => d.channel),
    );
  }
  await tx.$executeRawUnsafe(
    `UPDATE "reminder" r SET "status" = t."status"::"reminder_status", "notification_id" = t."notification_id",
       "skip_reason" = t."skip_reason", "closed_at" = now()
     FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) AS t("id", "status", "notification_id", "skip_reason")
     WHERE r."id" = t."id"`,
    decided.map((d) => d.row.id),
    decided.map((d) => (d.skip === null ? 'queued' : 'skipped')),
    decided.map((d) => d.notificationId),
    decided.map((d) => d.skip),
  );
  return { queued: sending.length, closed: rows.length };
}
