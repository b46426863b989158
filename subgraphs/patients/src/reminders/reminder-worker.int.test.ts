import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { inTransaction } from '@clinic/platform';
import { NotificationDispatcher } from '../notifications/dispatcher';
import type { OutgoingMessage } from '../notifications/sender';
import {
  notificationsTestBed,
  type NotificationsTestBed,
} from '../notifications/testing/notifications-test-setup';
import { claimAndQueue, ReminderWorker } from './reminder-worker';
import { scheduleReminders, type ZoneLookup } from './schedule-reminders';
import { anAppointment, eventOf, type Appointment } from './testing/reminder-events';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
let bed: NotificationsTestBed;
beforeAll(async () => {
  bed = await notificationsTestBed();
}, 600_000);
afterAll(async () => bed?.close());

const sydney: ZoneLookup = async (ids) => new Map(ids.map((id) => [id, 'Australia/Sydney']));
const bookedAt = new Date('2027-01-01T00:00:00Z');

/** A fake clock the test moves by hand. */
function fakeClock(start: Date) {
  let now = start.getTime();
  return { clock: () => new Date(now), set: (at: Date) => void (now = at.getTime()) };
}

/** Worker passes until one finds nothing due. */
async function drain(worker: ReminderWorker): Promise<void> {
  while ((await worker.runOnce()) > 0);
}

async function book(a: Appointment): Promise<void> {
  await scheduleReminders(bed.db, [eventOf('appointment.booked', a, bookedAt)], sydney);
}

const notificationsOf = (appointmentId: string) =>
  bed.db.notification.findMany({
    where: { appointmentId, reason: 'reminder' },
    orderBy: { appointmentStart: 'asc' },
  });

describe('ReminderWorker on real PostgreSQL', () => {
  it('turns each reminder into one notification when its due instant comes, not before, once', async () => {
    const patient = await bed.register('sms');
    const a = anAppointment(new Date('2027-04-05T09:00:00+10:00'), { clientId: patient.clientId });
    await book(a);
    const time = fakeClock(new Date('2027-04-03T22:59:59.999Z'));
    const worker = new ReminderWorker({ db: bed.db, logger, clock: time.clock });
    await drain(worker);
    expect(await notificationsOf(a.appointmentId)).toEqual([]);
    // The day before at 9:00 am Sydney (AEDT, the clocks go back that night).
    time.set(new Date('2027-04-03T23:00:00Z'));
    await drain(worker);
    await drain(worker);
    const sent = await notificationsOf(a.appointmentId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      recipient: 'patient',
      clientId: patient.clientId,
      channel: 'sms',
      status: 'pending',
    });
    const rows = await bed.db.reminder.findMany({ where: { appointmentId: a.appointmentId } });
    const dayBefore = rows.find((row) => row.offsetMinutes === 1440);
    expect(dayBefore).toMatchObject({ status: 'queued', notificationId: sent[0]?.id });
    expect(sent[0]?.eventId).toBe(dayBefore?.id);
    expect(rows.find((row) => row.offsetMinutes === 120)?.status).toBe('pending');
  });

  it("honours the patient's opt-outs and the clinic's channels, decided when due", async () => {
    const time = fakeClock(new Date('2027-02-01T00:00:00Z'));
    const worker = new ReminderWorker({ db: bed.db, logger, clock: time.clock });
    const start = new Date('2027-02-10T09:00:00+11:00');
    const smsOptedOut = await bed.register('sms');
    const bothOptedOut = await bed.register('email');
    const plain = await bed.register('sms');
    const emailOnlyClinic = randomUUID();
    await bed.db.clinicReminderSettings.create({
      data: { clinicId: emailOnlyClinic, offsetsMinutes: [1440], channels: ['email'] },
    });
    const a = anAppointment(start, { clientId: smsOptedOut.clientId });
    const b = anAppointment(start, { clientId: bothOptedOut.clientId });
    const c = anAppointment(start, { clientId: plain.clientId, clinicId: emailOnlyClinic });
    for (const appointment of [a, b, c]) await book(appointment);
    // Opted out after the booking: still honoured.
    await bed.db.patient.update({
      where: { clientId: smsOptedOut.clientId },
      data: { reminderOptOuts: ['sms'] },
    });
    await bed.db.patient.update({
      where: { clientId: bothOptedOut.clientId },
      data: { reminderOptOuts: ['sms', 'email'] },
    });
    time.set(new Date('2027-02-08T22:30:00Z'));
    await drain(worker);
    expect((await notificationsOf(a.appointmentId)).map((n) => n.channel)).toEqual(['email']);
    expect(await notificationsOf(b.appointmentId)).toEqual([]);
    expect(
      (await bed.db.reminder.findMany({ where: { appointmentId: b.appointmentId, offsetMinutes: 1440 } }))[0],
    ).toMatchObject({
      status: 'skipped',
      skipReason: 'no_channel',
      notificationId: null,
    });
    expect((await notificationsOf(c.appointmentId)).map((n) => n.channel)).toEqual(['email']);
  });

  it('sends nothing for a cancelled appointment, and skips a reminder found only after the start', async () => {
    const patient = await bed.register('email');
    const a = anAppointment(new Date('2027-03-01T09:00:00+11:00'), { clientId: patient.clientId });
    await book(a);
    await scheduleReminders(bed.db, [eventOf('appointment.cancelled', a, bookedAt)], sydney);
    const b = anAppointment(a.start, { clientId: patient.clientId });
    await book(b);
    const worker = new ReminderWorker({ db: bed.db, logger, clock: () => new Date(a.start.getTime() + 1) });
    await drain(worker);
    expect(await notificationsOf(a.appointmentId)).toEqual([]);
    expect(await notificationsOf(b.appointmentId)).toEqual([]);
    const rows = await bed.db.reminder.findMany({ where: { appointmentId: b.appointmentId } });
    expect(rows.map((row) => [row.status, row.skipReason])).toEqual([
      ['skipped', 'started'],
      ['skipped', 'started'],
    ]);
  });

  it('a pass killed before it commits leaves everything as it was; the next queues each reminder once', async () => {
    const patient = await bed.register('sms');
    const a = anAppointment(new Date('2027-05-01T09:00:00+10:00'), { clientId: patient.clientId });
    await book(a);
    const now = new Date('2027-05-01T08:00:00+10:00');
    await expect(
      inTransaction(bed.db, async (tx) => {
        await claimAndQueue(tx, now, 10);
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    expect(await notificationsOf(a.appointmentId)).toEqual([]);
    expect(
      (await bed.db.reminder.findMany({ where: { appointmentId: a.appointmentId } })).map((r) => r.status),
    ).toEqual(['pending', 'pending']);
    await drain(new ReminderWorker({ db: bed.db, logger, clock: () => now }));
    expect(await notificationsOf(a.appointmentId)).toHaveLength(2);
  });

  it('three workers racing over 300 due reminders queue each exactly once, and the dispatcher sends each once', async () => {
    const patients = await Promise.all(
      Array.from({ length: 5 }, (_, i) => bed.register(i % 2 ? 'sms' : 'email')),
    );
    const clinicId = randomUUID();
    const start = new Date('2027-06-01T09:00:00+10:00');
    const appointments = Array.from({ length: 150 }, (_, i) =>
      anAppointment(start, { clinicId, clientId: patients[i % patients.length]?.clientId ?? randomUUID() }),
    );
    await scheduleReminders(
      bed.db,
      appointments.map((a) => eventOf('appointment.booked', a, bookedAt)),
      sydney,
    );
    const now = new Date('2027-06-01T08:30:00+10:00');
    const workers = Array.from(
      { length: 3 },
      () => new ReminderWorker({ db: bed.db, logger, clock: () => now, batchSize: 7 }),
    );
    await Promise.all(workers.map((worker) => drain(worker)));
    const ids = appointments.map((a) => a.appointmentId);
    const queued = await bed.db.notification.findMany({
      where: { appointmentId: { in: ids }, reason: 'reminder' },
    });
    expect(queued).toHaveLength(300);
    expect(new Set(queued.map((n) => n.eventId)).size).toBe(300);

    const sent: OutgoingMessage[] = [];
    const dispatcher = new NotificationDispatcher({
      db: bed.db,
      sender: { send: async (message) => (sent.push(message), { providerMessageId: randomUUID() }) },
      contacts: bed.contacts,
      clinicAlertEmail: 'clinic-admins@example.com',
      directory: {
        clinic: async () => ({ name: 'Harbour Clinic', timeZone: 'Australia/Sydney' }),
        doctorName: async () => 'Dr Jane Citizen',
      },
      logger,
    });
    while ((await dispatcher.runOnce()) > 0);
    const mine = sent.filter((message) => queued.some((n) => n.id === message.idempotencyKey));
    expect(mine).toHaveLength(300);
    expect(new Set(mine.map((m) => m.idempotencyKey)).size).toBe(300);
    expect(mine[0]?.body).toContain(
      'Reminder: your appointment at Harbour Clinic on Tue, 1 June 2027, 9:00 am',
    );
  });
});
