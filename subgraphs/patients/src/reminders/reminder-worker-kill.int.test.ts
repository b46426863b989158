import { spawn } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { eventually } from '@clinic/testing';
import {
  notificationsTestBed,
  type NotificationsTestBed,
} from '../notifications/testing/notifications-test-setup';
import { ReminderWorker } from './reminder-worker';
import { scheduleReminders } from './schedule-reminders';
import { anAppointment, eventOf } from './testing/reminder-events';

/**
 * The worker killed with SIGKILL (kill -9) three times while it queues, in a process of its own on real
 * PostgreSQL, then a fresh worker finishing: each due reminder becomes exactly one notification. A pass is
 * one transaction, so a kill mid-pass leaves nothing of it (the server rolls back the dropped session).
 */
let bed: NotificationsTestBed;
beforeAll(async () => {
  bed = await notificationsTestBed();
}, 600_000);
afterAll(async () => bed?.close());

const queuedCount = () => bed.db.notification.count({ where: { reason: 'reminder' } });

it('queues each reminder exactly once across three kill -9s of the worker process', async () => {
  const patients = await Promise.all(
    Array.from({ length: 4 }, (_, i) => bed.register(i % 2 ? 'sms' : 'email')),
  );
  const start = new Date('2027-08-02T09:00:00+10:00');
  const appointments = Array.from({ length: 300 }, (_, i) =>
    anAppointment(start, { clientId: patients[i % 4]!.clientId }),
  );
  await scheduleReminders(
    bed.db,
    appointments.map((a) => eventOf('appointment.booked', a, new Date('2027-07-01T00:00:00Z'))),
    async (ids) => new Map(ids.map((id) => [id, 'Australia/Sydney'])),
  );
  const now = new Date(start.getTime() - 30 * 60_000).toISOString();
  const script = path.join(__dirname, 'testing', 'worker-process.ts');
  let seen = 0;
  for (let kill = 0; kill < 3; kill++) {
    const child = spawn(process.execPath, ['--import', 'tsx', script, bed.patientsUrl, now], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Killed as soon as it has queued something more: mid-run, often mid-pass.
    const before = seen;
    try {
      seen = await eventually(async () => {
        const count = await queuedCount();
        return count > before ? count : undefined;
      }, 120_000);
    } finally {
      // Never left running, whatever happened above.
      child.kill('SIGKILL');
      await exited;
    }
  }
  expect(seen).toBeLessThan(600);
  const worker = new ReminderWorker({
    db: bed.db,
    logger: pino({ level: 'silent' }),
    clock: () => new Date(now),
  });
  while ((await worker.runOnce()) > 0);
  const notifications = await bed.db.notification.findMany({ where: { reason: 'reminder' } });
  expect(notifications).toHaveLength(600);
  expect(new Set(notifications.map((n) => n.eventId)).size).toBe(600);
  const reminders = await bed.db.reminder.findMany({});
  expect(reminders.every((r) => r.status === 'queued' && r.notificationId !== null)).toBe(true);
  expect(new Set(reminders.map((r) => r.notificationId)).size).toBe(600);
}, 600_000);
