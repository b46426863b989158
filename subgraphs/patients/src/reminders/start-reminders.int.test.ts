import pino from 'pino';
import { InProcessEventBus } from '@clinic/platform';
import { eventually } from '@clinic/testing';
import type { ClinicDirectory } from '../notifications/clinic-directory';
import {
  notificationsTestBed,
  type NotificationsTestBed,
} from '../notifications/testing/notifications-test-setup';
import { startReminders } from './start-reminders';
import { anAppointment, eventOf } from './testing/reminder-events';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const directory: ClinicDirectory = {
  clinic: async () => ({ name: 'Clinic', timeZone: 'Australia/Sydney' }),
  doctorName: async () => null,
};

let bed: NotificationsTestBed;
beforeAll(async () => {
  bed = await notificationsTestBed();
}, 600_000);
afterAll(async () => {
  await bed?.close();
});

it('queues at once a reminder already due when its booking is handled, though the worker idles for an hour', async () => {
  const bus = new InProcessEventBus({ logger });
  const queued: number[] = [];
  const running = await startReminders({
    db: bed.db,
    bus,
    logger,
    directory,
    onQueued: () => void queued.push(1),
    worker: { idleMs: 3_600_000 },
  });
  try {
    const patient = await bed.register('sms');
    // Booked five minutes ago for 1 h 59 min from now: the 2-hour reminder fell due a minute ago, after
    // the booking, while its event was on the way (a consumer catching up).
    const now = Date.now();
    const appointment = anAppointment(new Date(now + 119 * 60_000), { clientId: patient.clientId });
    await bus.publish('appointments', [
      eventOf('appointment.booked', appointment, new Date(now - 5 * 60_000)),
    ]);
    await eventually(async () =>
      (await bed.db.reminder.count({
        where: { appointmentId: appointment.appointmentId, offsetMinutes: 120, status: 'queued' },
      })) === 1
        ? true
        : undefined,
    );
    expect(queued.length).toBeGreaterThan(0);
  } finally {
    await running.stop();
    await bus.close();
  }
}, 300_000);
