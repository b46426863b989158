import { randomUUID } from 'node:crypto';
import { createLogger } from '@clinic/platform';
import { logCapture } from '@clinic/testing';
import { registerPatient } from '../../vault/register-patient';
import { normaliseAustralianPhone } from '../../vault/validation';
import { mockRegistration, vaultTestBed, type VaultTestBed } from '../../vault/testing/vault-test-bed';
import { ReminderWorker } from '../reminder-worker';
import { replyTokens } from '../reply-tokens';
import { scheduleReminders } from '../schedule-reminders';
import { anAppointment, eventOf } from '../testing/reminder-events';
import { readReply, smsAnswers } from './answer-by-sms';

const CANARY = 'canary-sms-9b2e';
const logs: string[] = [];
const logger = createLogger('patients', 'debug', logCapture(logs)());
let bed: VaultTestBed;
let answer: ReturnType<typeof smsAnswers>;
beforeAll(async () => {
  bed = await vaultTestBed();
  answer = smsAnswers({
    db: bed.db,
    vault: bed.vault,
    blindIndex: bed.context(null).vaultKeys.blindIndex,
    logger,
  });
}, 600_000);
afterAll(async () => bed?.close());

/** What the dispatcher does once the provider took a message (the tests run no dispatcher). */
const markSent = (appointmentId: string) =>
  bed.db.notification.updateMany({
    where: { appointmentId, status: 'pending' },
    data: { status: 'sent', sentAt: new Date() },
  });

/** A registered patient and their E.164 number, with a reminder of an appointment sent by `channel`. */
async function remindedPatient(channel: 'sms' | 'email' = 'sms') {
  const registration = mockRegistration();
  const outcome = await registerPatient(
    { ...registration, preferredChannel: channel },
    bed.context({ role: 'SystemAdministrator', subject: 'sysadmin' }),
  );
  if (outcome.__typename !== 'PatientRegistered') throw new Error(outcome.__typename);
  const clientId = outcome.patient.clientId;
  const phone = normaliseAustralianPhone(registration.phone);
  if (!phone) throw new Error('the mock phone number is not Australian');
  return { clientId, phone, appointment: await remind(clientId) };
}

/** Another appointment of the patient, three hours ahead, whose reminders were sent. */
async function remind(clientId: string) {
  const start = new Date(Date.now() + 3 * 3_600_000);
  const appointment = anAppointment(start, { clientId });
  await scheduleReminders(
    bed.db,
    [eventOf('appointment.booked', appointment, new Date(Date.now() - 864e5))],
    async (ids) => new Map(ids.map((id) => [id, 'Australia/Sydney'])),
  );
  const worker = new ReminderWorker({
    db: bed.db,
    logger,
    replyTokens: replyTokens(bed.context(null).vaultKeys.blindIndex),
    clock: () => new Date(start.getTime() - 60 * 60_000),
  });
  while ((await worker.runOnce()) > 0);
  await markSent(appointment.appointmentId);
  return appointment;
}

async function answersFor(appointmentId: string) {
  const rows = await bed.db.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
  return rows
    .map((row) => row.envelope as { type: string; payload: Record<string, unknown> })
    .filter((e) => e.type === 'patient.reminder-answered' && e.payload['appointmentId'] === appointmentId)
    .map((e) => e.payload['answer']);
}

const helpMessages = (appointmentId: string) =>
  bed.db.notification.count({ where: { appointmentId, reason: 'reminder_help' } });

describe('answering an SMS reminder by reply', () => {
  it('reads C, YES, X and CANCEL in any case and with words after; nothing else', () => {
    expect(['C', 'c', ' yes ', 'Confirm.', 'C thanks'].map(readReply)).toEqual(Array(5).fill('confirm'));
    expect(['X', 'x', 'cancel', 'CANCEL please'].map(readReply)).toEqual(Array(4).fill('cancel'));
    expect(['', '?', 'maybe', 'no', 'STOP', 'CX', CANARY].map(readReply)).toEqual(Array(7).fill(null));
  });

  it('C confirms once: the same SNS message delivered again acts no more', async () => {
    const {
      phone,
      appointment: { appointmentId },
    } = await remindedPatient();
    const messageId = randomUUID();
    expect(await answer({ messageId, phone, text: 'C' })).toBe('confirmed');
    expect(await answer({ messageId, phone, text: 'C' })).toBe('duplicate');
    expect(await answersFor(appointmentId)).toEqual(['confirm']);
  });

  it('X cancels; a later C for the same reminder changes nothing', async () => {
    const {
      phone,
      appointment: { appointmentId },
    } = await remindedPatient();
    expect(await answer({ messageId: randomUUID(), phone, text: 'x please' })).toBe('cancelled');
    expect(await answer({ messageId: randomUUID(), phone, text: 'C' })).toBe('ignored');
    expect(await answersFor(appointmentId)).toEqual(['cancel']);
  });

  it('C and X at the same moment: exactly one acts', async () => {
    const {
      phone,
      appointment: { appointmentId },
    } = await remindedPatient();
    const effects = await Promise.all([
      answer({ messageId: randomUUID(), phone, text: 'C' }),
      answer({ messageId: randomUUID(), phone, text: 'X' }),
    ]);
    expect(effects.filter((effect) => effect !== 'ignored')).toHaveLength(1);
    expect(await answersFor(appointmentId)).toHaveLength(1);
  });

  it('an unknown reply gets one help message, never a second, and C still works after it', async () => {
    const {
      phone,
      appointment: { appointmentId },
    } = await remindedPatient();
    expect(await answer({ messageId: randomUUID(), phone, text: CANARY })).toBe('help-sent');
    expect(await answer({ messageId: randomUUID(), phone, text: 'what?' })).toBe('ignored');
    expect(await helpMessages(appointmentId)).toBe(1);
    expect(await answer({ messageId: randomUUID(), phone, text: 'C' })).toBe('confirmed');
    expect(await answersFor(appointmentId)).toEqual(['confirm']);
  });

  it('acts on nothing for a number nobody has, an emailed reminder, or a reminder whose time has passed', async () => {
    const stranger = await answer({ messageId: randomUUID(), phone: '+61255509999', text: 'X' });
    expect(stranger).toBe('ignored');
    const emailed = await remindedPatient('email');
    expect(await answer({ messageId: randomUUID(), phone: emailed.phone, text: 'X' })).toBe('ignored');
    expect(await answersFor(emailed.appointment.appointmentId)).toEqual([]);
    const started = await remindedPatient();
    await bed.db.reminderReply.updateMany({
      where: { appointmentId: started.appointment.appointmentId },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect(await answer({ messageId: randomUUID(), phone: started.phone, text: 'X' })).toBe('ignored');
    expect(await answersFor(started.appointment.appointmentId)).toEqual([]);
  });

  it('reminders of two visits open: a bare X cancels neither, and one message says to answer another way', async () => {
    const { clientId, phone, appointment: first } = await remindedPatient();
    const second = await remind(clientId);
    expect(await answer({ messageId: randomUUID(), phone, text: 'X' })).toBe('unclear');
    expect(await answer({ messageId: randomUUID(), phone, text: 'X' })).toBe('ignored');
    expect(await answersFor(first.appointmentId)).toEqual([]);
    expect(await answersFor(second.appointmentId)).toEqual([]);
    const unclear = await bed.db.notification.count({
      where: {
        appointmentId: { in: [first.appointmentId, second.appointmentId] },
        reason: 'reminder_unclear',
      },
    });
    expect(unclear).toBe(1);
  });

  it('a reply to the last text, when that was not a reminder (a waitlist offer), answers nothing', async () => {
    const { clientId, phone, appointment } = await remindedPatient();
    await bed.db.notification.create({
      data: {
        id: randomUUID(),
        recipient: 'patient',
        clientId,
        clinicId: appointment.clinicId,
        channel: 'sms',
        reason: 'waitlist_offer',
        appointmentId: randomUUID(),
        appointmentStart: new Date(Date.now() + 864e5),
        doctorId: appointment.doctorId,
        eventId: randomUUID(),
        status: 'sent',
        sentAt: new Date(Date.now() + 1000),
      },
    });
    expect(await answer({ messageId: randomUUID(), phone, text: 'CANCEL' })).toBe('ignored');
    expect(await answersFor(appointment.appointmentId)).toEqual([]);
  });

  it('a cancelled appointment’s reminder can no longer be answered', async () => {
    const { phone, appointment } = await remindedPatient();
    await scheduleReminders(
      bed.db,
      [eventOf('appointment.cancelled', appointment, new Date())],
      async (ids) => new Map(ids.map((id) => [id, 'Australia/Sydney'])),
    );
    expect(await answer({ messageId: randomUUID(), phone, text: 'C' })).toBe('ignored');
    expect(await answersFor(appointment.appointmentId)).toEqual([]);
  });

  it('never logs the number or the text', async () => {
    const { phone } = await remindedPatient();
    await answer({ messageId: randomUUID(), phone, text: `${CANARY} C` });
    const logged = logs.join('\n');
    expect(logged).toContain('SMS reply handled');
    expect(logged).not.toContain(CANARY);
    expect(logged).not.toContain(phone);
    expect(logged).not.toContain(phone.slice(3));
  });
});
