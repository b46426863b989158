import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { KafkaEventBus } from '@clinic/platform';
import { eventually, realInfra } from '@clinic/testing';
import { DevSinkSender } from '../notifications/dev-sink';
import { mockNeedsAttention, mockReassigned } from '@clinic/testing';
import {
  notificationsTestBed,
  type NotificationsTestBed,
} from '../notifications/testing/notifications-test-setup';
import type { RunningNotifications } from '../notifications/start-notifications';
import { startNotifications } from './consumers';

// Silent: a new consumer group also dead-letters the invalid messages other tests left on the topic.
const logger = pino({ level: 'silent' });
let bed: NotificationsTestBed;
let bus: KafkaEventBus;
let running: RunningNotifications;
let sink: DevSinkSender;

beforeAll(async () => {
  bed = await notificationsTestBed();
  bus = new KafkaEventBus({
    brokers: realInfra().kafkaBrokers,
    clientId: `notifications-test-${randomUUID()}`,
    groupPrefix: `notifications-test-${randomUUID()}-`,
    logger,
  });
  sink = new DevSinkSender(mkdtempSync(path.join(os.tmpdir(), 'notifications-sink-')));
  running = await startNotifications({
    db: bed.db,
    bus,
    sender: sink,
    devSink: sink,
    clinicAlertEmail: 'clinic-admins@example.com',
    contacts: bed.contacts,
    logger,
    dispatcher: { idleMs: 50 },
  });
}, 600_000);
afterAll(async () => {
  await bus?.close();
  await running?.stop();
  await bed?.close();
});

const linesFor = async (appointmentId: string) => {
  const ids = new Set(
    (await bed.db.notification.findMany({ where: { appointmentId }, select: { id: true } })).map(
      (row) => row.id,
    ),
  );
  return (await sink.entries()).filter((entry) => ids.has(entry.idempotencyKey));
};

describe('notifications through a real Kafka broker', () => {
  it('a re-assignment delivered three times notifies the patient exactly once', async () => {
    const patient = await bed.register('sms');
    const appointmentId = randomUUID();
    const event = mockReassigned({ clientId: patient.clientId, appointmentId });
    for (let copy = 0; copy < 3; copy++) await bus.publish('appointments', [event]);
    // Same key, same partition: once this later event is handled, the three copies before it were too.
    const marker = mockReassigned({ clientId: patient.clientId, appointmentId });
    await bus.publish('appointments', [marker]);

    const lines = await eventually(async () => {
      const found = await linesFor(appointmentId);
      return found.length >= 2 ? found : undefined;
    }, 300_000);
    const rows = await bed.db.notification.findMany({ where: { appointmentId } });
    expect(rows.filter((row) => row.eventId === event.id)).toHaveLength(1);
    expect(rows.filter((row) => row.eventId === marker.id)).toHaveLength(1);
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.channel === 'sms' && line.to === patient.phone)).toBe(true);
    expect(await bed.db.inboxEntry.count({ where: { eventId: event.id } })).toBe(1);
  }, 300_000);

  it('an appointment needing attention tells the patient and the clinic admins, once each', async () => {
    const patient = await bed.register('email');
    const event = mockNeedsAttention({ clientId: patient.clientId });
    const { appointmentId } = event.payload;
    const marker = mockNeedsAttention({ clientId: patient.clientId, appointmentId });
    await bus.publish('appointments', [event, event, marker]);
    await eventually(async () => ((await linesFor(appointmentId)).length >= 4 ? true : undefined), 60_000);
    const rows = await bed.db.notification.findMany({ where: { eventId: event.id } });
    const lines = (await sink.entries()).filter((line) => rows.some((row) => row.id === line.idempotencyKey));
    expect(lines.map((line) => line.to).sort()).toEqual(['clinic-admins@example.com', patient.email].sort());
  }, 300_000);
});
