import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Identity } from '@clinic/contracts';
import { seesReminder } from '../access/access';
import { NotificationDispatcher } from '../notifications/dispatcher';
import {
  notificationsTestBed,
  type NotificationsTestBed,
} from '../notifications/testing/notifications-test-setup';
import { remindersOfAppointments } from './appointment-reminders';
import { ReminderWorker } from './reminder-worker';
import { scheduleReminders, type ZoneLookup } from './schedule-reminders';
import { anAppointment, eventOf, rescheduled } from './testing/reminder-events';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
let bed: NotificationsTestBed;
beforeAll(async () => {
  bed = await notificationsTestBed();
}, 600_000);
afterAll(async () => bed?.close());

const sydney: ZoneLookup = async (ids) => new Map(ids.map((id) => [id, 'Australia/Sydney']));
const bookedAt = new Date('2027-01-01T00:00:00Z');

describe('remindersOfAppointments on real PostgreSQL', () => {
  it("shows each reminder's offset, due time, status and sent time, old times' reminders included", async () => {
    const patient = await bed.register('email');
    const a = anAppointment(new Date('2027-03-10T09:00:00+11:00'), { clientId: patient.clientId });
    const b = anAppointment(a.start, { clientId: patient.clientId });
    const moved = { ...a, slotId: randomUUID(), start: new Date('2027-03-11T09:00:00+11:00') };
    // Booked, then moved in a later batch (the old time's reminders exist, then are cancelled).
    await scheduleReminders(bed.db, [eventOf('appointment.booked', a, bookedAt)], sydney);
    await scheduleReminders(
      bed.db,
      [rescheduled(a, moved, bookedAt), eventOf('appointment.booked', b, bookedAt)],
      sydney,
    );
    // The day-before reminder of the new time falls due and is sent; the 2 h one waits.
    const worker = new ReminderWorker({
      db: bed.db,
      logger,
      clock: () => new Date('2027-03-10T09:00:00+11:00'),
    });
    while ((await worker.runOnce()) > 0);
    const dispatcher = new NotificationDispatcher({
      db: bed.db,
      sender: { send: async () => ({ providerMessageId: randomUUID() }) },
      contacts: bed.contacts,
      clinicAlertEmail: 'clinic-admins@example.com',
      logger,
    });
    while ((await dispatcher.runOnce()) > 0);

    const [ofA, ofB, ofNothing] = await remindersOfAppointments(bed.db, [
      a.appointmentId,
      b.appointmentId,
      randomUUID(),
    ]);
    expect(ofA?.map((r) => [r.offsetMinutes, r.dueAt.toISOString(), r.status, r.channel])).toEqual([
      [1440, '2027-03-08T22:00:00.000Z', 'cancelled', null],
      [120, '2027-03-09T20:00:00.000Z', 'cancelled', null],
      [1440, '2027-03-09T22:00:00.000Z', 'sent', 'email'],
      [120, '2027-03-10T20:00:00.000Z', 'scheduled', null],
    ]);
    expect(ofA?.[2]?.sentAt).toBeInstanceOf(Date);
    expect(ofA?.[3]?.sentAt).toBeNull();
    // b's reminders fell due while nothing ran and it has started: skipped, not sent.
    expect(ofB?.map((r) => [r.status, r.skipReason])).toEqual([
      ['skipped', 'started'],
      ['skipped', 'started'],
    ]);
    expect(ofNothing).toEqual([]);
    expect(await remindersOfAppointments(bed.db, ['not-an-id'])).toEqual([[]]);
  });
});

describe('seesReminder', () => {
  const reminder = { clientId: randomUUID(), clinicId: randomUUID() };
  const cases: [Identity | null, boolean][] = [
    [null, false],
    [{ role: 'Patient', subject: reminder.clientId }, true],
    [{ role: 'Patient', subject: randomUUID() }, false],
    [{ role: 'Doctor', subject: 'doc', clinicId: reminder.clinicId }, true],
    [{ role: 'ClinicAdmin', subject: 'admin', clinicId: reminder.clinicId }, true],
    [{ role: 'PracticeManager', subject: 'pm', clinicId: randomUUID() }, false],
    [{ role: 'ClinicAdmin', subject: 'admin' }, false],
    [{ role: 'SystemAdministrator', subject: 'root' }, true],
  ];
  it.each(cases)('%j sees it: %s', (identity, expected) => {
    expect(seesReminder(identity, reminder)).toBe(expected);
  });
});
