import { randomUUID } from 'node:crypto';
import type { EventActor } from '@clinic/contracts';
import { inTransaction, type Logger } from '@clinic/platform';
import type { PatientsDatabase, VaultDatabase } from '../../database';
import type { BlindIndex } from '../../vault/blind-index';
import { normaliseAustralianPhone } from '../../vault/validation';
import { recordAnswer, type OpenReply } from '../answer-reminder';
import type { SmsReply } from './sms-replies-route';

/** The patient answers from their phone; the number is all that identifies them. */
const SMS_REPLIER: EventActor = { role: 'System', subject: 'sms-reply' };

export type SmsReplyEffect = 'confirmed' | 'cancelled' | 'help-sent' | 'unclear' | 'ignored' | 'duplicate';

/** What a reply means: its first word, without case or punctuation. Anything else is not understood. */
export function readReply(text: string): 'confirm' | 'cancel' | null {
  const word = (text.trim().split(/\s+/)[0] ?? '').replace(/[^A-Za-z]/g, '').toUpperCase();
  if (['C', 'CONFIRM', 'Y', 'YES'].includes(word)) return 'confirm';
  if (['X', 'CANCEL'].includes(word)) return 'cancel';
  return null;
}

export interface SmsAnswersDependencies {
  db: PatientsDatabase;
  vault: VaultDatabase;
  blindIndex: BlindIndex;
  logger: Logger;
  /** Poked after a commit that wrote an event or a notification, so it goes out at once. */
  onCommitted?: () => void;
}

/**
 * Acts on a patient's SMS reply to a reminder: C confirms, X cancels. The vault keeps each number to one
 * patient. It answers the reminder the last text to that number was about, and only when the patient has
 * open reminders of one visit alone: with several, a bare C or X could mean either, so the reply gets one
 * message saying to answer another way instead. Anything else gets one help message for that reminder, never a second, so an
 * auto-responder cannot start a loop; a reply to anything but a reminder gets nothing. SNS's message id is
 * recorded in the same transaction, so a redelivered reply acts once. Neither number nor text is logged.
 */
export function smsAnswers(deps: SmsAnswersDependencies): (reply: SmsReply) => Promise<SmsReplyEffect> {
  return async (reply) => {
    const phone = normaliseAustralianPhone(reply.phone);
    const clientIds = phone
      ? (
          await deps.vault.patientPii.findMany({
            where: { phoneIndex: new Uint8Array(deps.blindIndex.phone(phone)) },
            select: { clientId: true },
          })
        ).map((patient) => patient.clientId)
      : [];
    const answer = readReply(reply.text);
    const effect = await inTransaction(deps.db, async (tx): Promise<SmsReplyEffect> => {
      const fresh = await tx.$executeRawUnsafe(
        `INSERT INTO "sms_reply" ("message_id") VALUES ($1) ON CONFLICT DO NOTHING`,
        reply.messageId,
      );
      if (fresh === 0) return 'duplicate';
      if (clientIds.length === 0) return 'ignored';
      // Every SMS reminder still open for this number, newest first, locked.
      const open = await tx.$queryRawUnsafe<
        (OpenReply & { notification_id: string; doctor_id: string; help_sent: boolean })[]
      >(
        `SELECT rr."reminder_id"::text, rr."appointment_id"::text, rr."client_id"::text, rr."clinic_id"::text,
           rr."appointment_start", rr."notification_id"::text, r."doctor_id"::text,
           rr."help_sent_at" IS NOT NULL AS "help_sent"
         FROM "reminder_reply" rr JOIN "reminder" r ON r."id" = rr."reminder_id"
         WHERE rr."client_id" = ANY($1::uuid[]) AND rr."channel" = 'sms' AND rr."answered_at" IS NULL
           AND rr."expires_at" > now()
         ORDER BY rr."created_at" DESC
         FOR UPDATE OF rr`,
        clientIds,
      );
      const latest = open[0];
      if (!latest) return 'ignored';
      // A reply answers the last text we sent to the number: if that was not one of these reminders (or
      // the help about one), the patient is answering something else (a waitlist offer, a notice).
      const [lastSent] = await tx.$queryRawUnsafe<{ id: string; reason: string; event_id: string }[]>(
        `SELECT "id"::text, "reason"::text, "event_id"::text FROM "notification"
         WHERE "client_id" = ANY($1::uuid[]) AND "channel" = 'sms' AND "status" = 'sent'
         ORDER BY "sent_at" DESC LIMIT 1`,
        clientIds,
      );
      const aboutAReminder = open.some(
        (row) =>
          (lastSent?.reason === 'reminder' && lastSent.id === row.notification_id) ||
          (lastSent?.reason === 'reminder_help' && lastSent.event_id === row.reminder_id),
      );
      if (!aboutAReminder) return 'ignored';
      // Reminders of more than one visit are open: a bare C or X could be about either.
      const visits = new Set(
        open.map((row) => `${row.appointment_id}@${new Date(row.appointment_start).getTime()}`),
      );
      const unclear = visits.size > 1;
      if (answer && !unclear) {
        await recordAnswer(tx, latest, answer, SMS_REPLIER);
        return answer === 'confirm' ? 'confirmed' : 'cancelled';
      }
      if (latest.help_sent) return 'ignored';
      await tx.$executeRawUnsafe(
        `UPDATE "reminder_reply" SET "help_sent_at" = now() WHERE "reminder_id" = $1::uuid`,
        latest.reminder_id,
      );
      // Through the dispatcher like every message: it reads the number from the vault when it sends.
      await tx.$executeRawUnsafe(
        `INSERT INTO "notification" ("id", "recipient", "client_id", "clinic_id", "channel", "reason",
           "appointment_id", "appointment_start", "doctor_id", "event_id")
         VALUES ($1::uuid, 'patient', $2::uuid, $3::uuid, 'sms', $8::"notification_reason", $4::uuid, $5,
           $6::uuid, $7::uuid)
         ON CONFLICT DO NOTHING`,
        randomUUID(),
        latest.client_id,
        latest.clinic_id,
        latest.appointment_id,
        latest.appointment_start,
        latest.doctor_id,
        latest.reminder_id,
        unclear ? 'reminder_unclear' : 'reminder_help',
      );
      return unclear ? 'unclear' : 'help-sent';
    });
    if (effect !== 'duplicate' && effect !== 'ignored') deps.onCommitted?.();
    deps.logger.info({ effect }, 'SMS reply handled');
    return effect;
  };
}
