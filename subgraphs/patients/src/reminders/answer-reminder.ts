import type { EventActor, Identity } from '@clinic/contracts';
import {
  AUDIT_TOPIC,
  auditRecord,
  createEvent,
  enqueueEvents,
  inTransaction,
  type RawSql,
} from '@clinic/platform';
import { mayAnswerReminder } from '../access/access';
import type { PatientsContext } from '../context';
import { TOKEN_PATTERN, tokenHash } from './reply-tokens';

export type ReminderAnswer = 'CONFIRM' | 'CANCEL';

export type AnswerOutcome =
  | { __typename: 'ReminderAnswered'; answer: ReminderAnswer; appointmentStart: Date }
  | { __typename: 'ReminderReplyRefused'; reason: 'TOKEN_NOT_VALID' | 'NOT_YOURS'; message: string };

/** Who acts: the signed-in patient, or whoever holds the link (the token is their only credential). */
const LINK_HOLDER: EventActor = { role: 'System', subject: 'reminder-link' };

/**
 * The patient's answer to an emailed reminder: confirm or cancel the appointment at the time the reminder
 * was about. Public, as the link is opened without signing in: the single-use token is the credential,
 * so this does not run the signed-in `mutation()` prelude, and the token itself is its idempotency key
 * (a second use, even at the same moment, is refused: the row is locked and `answered_at` set once).
 *
 * Unknown, used and expired tokens get one answer (TOKEN_NOT_VALID), so an answer tells nothing about
 * which; a signed-in patient using another patient's token gets NOT_YOURS. Every refusal changes nothing
 * but the audit trail (an `audit.recorded` event in this database's outbox), and no answer or log line
 * quotes the token. On success the answer goes to the appointments service as a
 * `patient.reminder-answered` event (ids and the time only), written in the same transaction.
 */
export async function answerReminder(
  token: string,
  answer: ReminderAnswer,
  context: PatientsContext,
): Promise<AnswerOutcome> {
  const { identity } = context;
  const outcome = await inTransaction(context.db, async (tx) => {
    if (!TOKEN_PATTERN.test(token)) return refuse(tx, identity, null, 'TOKEN_NOT_VALID');
    const [row] = await tx.$queryRawUnsafe<(OpenReply & { usable: boolean })[]>(
      `SELECT "reminder_id"::text, "appointment_id"::text, "client_id"::text, "clinic_id"::text,
         "appointment_start", ("answered_at" IS NULL AND "expires_at" > now()) AS "usable"
       FROM "reminder_reply" WHERE "token_hash" = $1 FOR UPDATE`,
      tokenHash(token),
    );
    if (!row || !row.usable) return refuse(tx, identity, row ?? null, 'TOKEN_NOT_VALID');
    if (!mayAnswerReminder(identity, { clientId: row.client_id })) {
      return refuse(tx, identity, row, 'NOT_YOURS');
    }
    await recordAnswer(
      tx,
      row,
      answer === 'CONFIRM' ? 'confirm' : 'cancel',
      identity ? { role: identity.role, subject: identity.subject } : LINK_HOLDER,
    );
    return {
      __typename: 'ReminderAnswered' as const,
      answer,
      appointmentStart: new Date(row.appointment_start),
    };
  });
  context.linksOutbox?.poke();
  return outcome;
}

/** An open reminder's answer, as both channels record it: once, with the event for the appointments service. */
export interface OpenReply {
  reminder_id: string;
  appointment_id: string;
  client_id: string;
  clinic_id: string;
  appointment_start: Date;
}

/**
 * Marks the reminder answered and tells the appointments service, in the caller's transaction (which
 * holds the reply row locked): a `patient.reminder-answered` event with ids and the time only. One
 * answer per appointment and time: it closes every open reminder of it on both channels (the 24 h
 * email's link and the 2 h SMS), so a second reply cannot undo or repeat the first.
 */
export async function recordAnswer(
  tx: RawSql,
  row: OpenReply,
  answer: 'confirm' | 'cancel',
  actor: EventActor,
): Promise<void> {
  await tx.$executeRawUnsafe(
    `UPDATE "reminder_reply" SET "answered_at" = now(), "answer" = $2
     WHERE "appointment_id" = $1::uuid AND "appointment_start" = $3 AND "answered_at" IS NULL`,
    row.appointment_id,
    answer,
    row.appointment_start,
  );
  await enqueueEvents(tx, 'patients', [
    createEvent({
      type: 'patient.reminder-answered',
      aggregateId: row.client_id,
      actor,
      payload: {
        appointmentId: row.appointment_id,
        clientId: row.client_id,
        clinicId: row.clinic_id,
        appointmentStart: new Date(row.appointment_start).toISOString(),
        answer,
      },
    }),
  ]);
}

async function refuse(
  tx: RawSql,
  identity: Identity | null | undefined,
  row: { reminder_id: string; client_id: string; clinic_id: string } | null,
  reason: 'TOKEN_NOT_VALID' | 'NOT_YOURS',
): Promise<AnswerOutcome> {
  await enqueueEvents(tx, AUDIT_TOPIC, [
    auditRecord({
      action: reason === 'NOT_YOURS' ? 'reminder.reply-not-yours' : 'reminder.reply-refused',
      actor: identity ? { role: identity.role, subject: identity.subject } : LINK_HOLDER,
      subjectType: 'ReminderReply',
      // The reminder when the token named one; never the token.
      subjectId: row?.reminder_id ?? 'unknown-token',
      ...(row ? { clientId: row.client_id, clinicId: row.clinic_id } : {}),
    }),
  ]);
  return {
    __typename: 'ReminderReplyRefused',
    reason,
    message:
      reason === 'NOT_YOURS'
        ? 'This link belongs to another patient. Nothing was changed.'
        : 'This link is not valid: it may have been used already or have expired. Nothing was changed.',
  };
}
