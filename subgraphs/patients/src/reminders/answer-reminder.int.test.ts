import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Identity } from '@clinic/contracts';
import { vaultTestBed, type VaultTestBed } from '../vault/testing/vault-test-bed';
import { answerReminder } from './answer-reminder';
import { ReminderWorker } from './reminder-worker';
import { replyTokens, type ReplyTokens } from './reply-tokens';
import { scheduleReminders } from './schedule-reminders';
import { anAppointment, eventOf } from './testing/reminder-events';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
let bed: VaultTestBed;
let tokens: ReplyTokens;
beforeAll(async () => {
  bed = await vaultTestBed();
  tokens = replyTokens(bed.context(null).vaultKeys.blindIndex);
}, 600_000);
afterAll(async () => bed?.close());

const CANARY = 'canary-reply-5d1e';

/** An emailed reminder of a fresh patient's appointment, due now: returns its token and the patient. */
async function emailedReminder(): Promise<{
  token: string;
  clientId: string;
  appointmentId: string;
  notificationId: string;
}> {
  const clientId = randomUUID();
  await bed.db.patient.create({ data: { clientId, preferredChannel: 'email' } });
  const start = new Date(Date.now() + 3 * 3_600_000);
  const a = anAppointment(start, { clientId });
  await scheduleReminders(
    bed.db,
    [eventOf('appointment.booked', a, new Date(Date.now() - 864e5))],
    async (ids) => new Map(ids.map((id) => [id, 'Australia/Sydney'])),
  );
  const worker = new ReminderWorker({
    db: bed.db,
    logger,
    replyTokens: tokens,
    clock: () => new Date(start.getTime() - 60 * 60_000),
  });
  while ((await worker.runOnce()) > 0);
  const notification = await bed.db.notification.findFirstOrThrow({
    where: { appointmentId: a.appointmentId, reason: 'reminder' },
  });
  return {
    token: tokens.tokenFor(notification.id),
    clientId,
    appointmentId: a.appointmentId,
    notificationId: notification.id,
  };
}

async function outboxOf(appointmentId: string, clientId: string) {
  const rows = await bed.db.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
  return rows
    .map((row) => ({
      topic: row.topic,
      text: JSON.stringify(row.envelope),
      envelope: row.envelope as { type: string; payload: Record<string, unknown> },
    }))
    .filter((row) => row.text.includes(appointmentId) || row.text.includes(clientId));
}

describe('answerReminder', () => {
  it('refuses a replayed token: one answer taken, the second refused, audited, nothing else changed', async () => {
    const { token, clientId, appointmentId, notificationId } = await emailedReminder();
    const first = await answerReminder(token, 'CANCEL', bed.context(null));
    expect(first).toMatchObject({ __typename: 'ReminderAnswered', answer: 'CANCEL' });
    const again = await answerReminder(token, 'CONFIRM', bed.context(null));
    expect(again).toMatchObject({ __typename: 'ReminderReplyRefused', reason: 'TOKEN_NOT_VALID' });
    const events = await outboxOf(appointmentId, clientId);
    expect(events.map((e) => [e.topic, e.envelope.type])).toEqual([
      ['patients', 'patient.reminder-answered'],
      ['audit', 'audit.recorded'],
    ]);
    expect(events[0]?.envelope.payload).toEqual({
      appointmentId,
      clientId,
      clinicId: expect.any(String),
      appointmentStart: expect.any(String),
      answer: 'cancel',
    });
    expect(events[1]?.envelope.payload).toMatchObject({
      action: 'reminder.reply-refused',
      subjectType: 'ReminderReply',
    });
    const reply = await bed.db.reminderReply.findUniqueOrThrow({ where: { notificationId } });
    expect(reply.answer).toBe('cancel');
    for (const event of events) expect(event.text).not.toContain(token);
  });

  it('the same token twice at once: exactly one is taken', async () => {
    const { token, clientId, appointmentId } = await emailedReminder();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        answerReminder(token, 'CONFIRM', bed.context({ role: 'Patient', subject: clientId })),
      ),
    );
    expect(answers.filter((a) => a.__typename === 'ReminderAnswered')).toHaveLength(1);
    expect(answers.filter((a) => a.__typename === 'ReminderReplyRefused')).toHaveLength(4);
    expect(
      (await outboxOf(appointmentId, clientId)).filter(
        (e) => e.envelope.type === 'patient.reminder-answered',
      ),
    ).toHaveLength(1);
  });

  it('refuses an expired token and another patient using one, changing nothing but the audit trail', async () => {
    const expired = await emailedReminder();
    await bed.db.reminderReply.updateMany({
      where: { appointmentId: expired.appointmentId },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect(await answerReminder(expired.token, 'CANCEL', bed.context(null))).toMatchObject({
      reason: 'TOKEN_NOT_VALID',
    });

    const theirs = await emailedReminder();
    const other: Identity = { role: 'Patient', subject: randomUUID() };
    expect(await answerReminder(theirs.token, 'CANCEL', bed.context(other))).toMatchObject({
      reason: 'NOT_YOURS',
    });
    for (const { appointmentId, clientId } of [expired, theirs]) {
      const replies = await bed.db.reminderReply.findMany({ where: { appointmentId } });
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.every((reply) => reply.answeredAt === null)).toBe(true);
      const events = await outboxOf(appointmentId, clientId);
      expect(events.map((e) => e.envelope.type)).toEqual(['audit.recorded']);
    }
    // The owner may still use it.
    expect(
      await answerReminder(
        theirs.token,
        'CONFIRM',
        bed.context({ role: 'Patient', subject: theirs.clientId }),
      ),
    ).toMatchObject({
      __typename: 'ReminderAnswered',
    });
  });

  it('refuses malformed and unknown tokens without quoting them anywhere', async () => {
    const before = await bed.db.outboxEvent.count();
    for (const token of [CANARY, `${CANARY}${'x'.repeat(27)}`.slice(0, 43), '', 'a'.repeat(10_000)]) {
      const answer = await answerReminder(token, 'CANCEL', bed.context(null));
      expect(answer).toMatchObject({ __typename: 'ReminderReplyRefused', reason: 'TOKEN_NOT_VALID' });
      expect(JSON.stringify(answer)).not.toContain(CANARY);
    }
    const audits = await bed.db.outboxEvent.findMany({ orderBy: { seq: 'asc' }, skip: before });
    expect(audits).toHaveLength(4);
    for (const row of audits) expect(JSON.stringify(row.envelope)).not.toContain(CANARY);
  });

  it('stores only the hash of a token, and a token reveals no id', async () => {
    const { token, clientId, appointmentId, notificationId } = await emailedReminder();
    const reply = await bed.db.reminderReply.findUniqueOrThrow({ where: { notificationId } });
    expect(Buffer.from(reply.tokenHash).equals(tokens.hash(token))).toBe(true);
    expect(JSON.stringify(reply)).not.toContain(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const id of [clientId, appointmentId, reply.notificationId]) {
      expect(Buffer.from(token, 'base64url').toString('hex')).not.toContain(id.replaceAll('-', ''));
    }
  });
});
