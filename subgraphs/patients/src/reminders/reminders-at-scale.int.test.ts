import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { EventEnvelope } from '@clinic/contracts';
import { inTransaction, KafkaEventBus } from '@clinic/platform';
import { eventually, realInfra } from '@clinic/testing';
import { NotificationDispatcher } from '../notifications/dispatcher';
import type { ClinicDirectory } from '../notifications/clinic-directory';
import {
  notificationsTestBed,
  type NotificationsTestBed,
} from '../notifications/testing/notifications-test-setup';
import { dueInstant } from './due-instant';
import { claimAndQueue } from './reminder-worker';
import { startReminders } from './start-reminders';
import { REMINDERS_CONSUMER } from './schedule-reminders';
import { anAppointment, eventOf, rescheduled, type Appointment } from './testing/reminder-events';

/**
 * Issue 19's proof, on real PostgreSQL and Kafka with a fake clock: 1,000 appointments across Sydney,
 * Brisbane, Adelaide and Perth, many on and around the April 2027 daylight-saving change; each offset fires
 * exactly once and within 60 s of its due instant (the worker is run every 30 s of fake time); none for a
 * booking made after a due instant or cancelled before it, none on an opted-out channel, none for a
 * moved appointment's old time. Every event is delivered twice, and three worker passes are killed
 * before they commit.
 */
const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const ZONES = ['Australia/Sydney', 'Australia/Brisbane', 'Australia/Adelaide', 'Australia/Perth'] as const;
const OFFSETS = [1440, 120];
const STEP_MS = 30_000;

let bed: NotificationsTestBed;
let bus: KafkaEventBus;
beforeAll(async () => {
  bed = await notificationsTestBed();
  bus = new KafkaEventBus({
    brokers: realInfra().kafkaBrokers,
    clientId: `reminders-scale-${randomUUID()}`,
    groupPrefix: `reminders-scale-${randomUUID()}-`,
    topicPrefix: `reminders-scale-${randomUUID()}.`,
    logger,
  });
}, 600_000);
afterAll(async () => {
  await bus?.close();
  await bed?.close();
});

type Fate = 'early' | 'late-for-day-before' | 'late-for-both' | 'cancelled' | 'moved';

interface Case {
  appointment: Appointment;
  zone: string;
  fate: Fate;
  /** The time reminders should be about (a moved one's new start). */
  finalStart: Date;
  channel: 'sms' | 'email' | null;
}

it('sends each offset of 1,000 appointments exactly once, within 60 s of its due instant', async () => {
  const clinics = ZONES.map((zone) => ({ clinicId: randomUUID(), zone }));
  const directory: ClinicDirectory = {
    clinic: async (id) => {
      const found = clinics.find((c) => c.clinicId === id);
      return found ? { name: 'Clinic', timeZone: found.zone } : null;
    },
    doctorName: async () => null,
  };
  // Patients: by SMS, by email, by SMS but opted out of SMS reminders (email instead), opted out of both.
  const kinds = [
    { preferred: 'sms', optOuts: [], channel: 'sms' },
    { preferred: 'email', optOuts: [], channel: 'email' },
    { preferred: 'sms', optOuts: ['sms'], channel: 'email' },
    { preferred: 'email', optOuts: ['sms', 'email'], channel: null },
  ] as const;
  const patients = [];
  for (let i = 0; i < 20; i++) {
    const kind = kinds[i % kinds.length]!;
    const patient = await bed.register(kind.preferred);
    await bed.db.patient.update({
      where: { clientId: patient.clientId },
      data: { reminderOptOuts: [...kind.optOuts] },
    });
    patients.push({ ...patient, channel: kind.channel });
  }

  // Starts from Thu 1 to Tue 6 April 2027 (the clocks go back on Sunday 4 April in Sydney and Adelaide),
  // 8:00 am to 5:30 pm local on the half hour.
  const fates: Fate[] = [
    'early',
    'early',
    'early',
    'late-for-day-before',
    'late-for-both',
    'cancelled',
    'moved',
  ];
  const cases: Case[] = [];
  const events: EventEnvelope[] = [];
  const early = new Date('2027-03-20T00:00:00Z');
  for (let i = 0; i < 1000; i++) {
    const clinic = clinics[i % clinics.length]!;
    const patient = patients[i % patients.length]!;
    const day = 1 + (i % 6);
    const minutes = 8 * 60 + 30 * (Math.floor(i / 6) % 20);
    const local = `2027-04-0${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
    const start = zonedInstant(local, clinic.zone);
    const appointment = anAppointment(start, { clinicId: clinic.clinicId, clientId: patient.clientId });
    const fate = fates[i % fates.length]!;
    const dayBefore = dueInstant(start, 1440, clinic.zone);
    const twoHours = dueInstant(start, 120, clinic.zone);
    let finalStart = start;
    if (fate === 'early') events.push(eventOf('appointment.booked', appointment, early));
    if (fate === 'late-for-day-before') {
      events.push(eventOf('appointment.booked', appointment, new Date(dayBefore.getTime() + 1)));
    }
    if (fate === 'late-for-both')
      events.push(eventOf('appointment.booked', appointment, new Date(twoHours.getTime() + 1)));
    if (fate === 'cancelled') {
      events.push(eventOf('appointment.booked', appointment, early));
      events.push(eventOf('appointment.cancelled', appointment, new Date(dayBefore.getTime() - 60_000)));
    }
    if (fate === 'moved') {
      events.push(eventOf('appointment.booked', appointment, early));
      finalStart = new Date(start.getTime() + 3 * 86_400_000);
      events.push(
        rescheduled(appointment, { ...appointment, slotId: randomUUID(), start: finalStart }, early),
      );
    }
    cases.push({ appointment, zone: clinic.zone, fate, finalStart, channel: patient.channel });
  }
  // Everything twice, as a broker retry or a relay re-publishing would.
  await bus.publish('appointments', events);
  await bus.publish('appointments', events);

  // A fake clock the test moves; the worker's own loop idles for an hour of real time, so only the
  // test's passes below run it.
  let now = new Date('2027-03-30T00:00:00Z');
  const running = await startReminders({
    db: bed.db,
    bus,
    logger,
    directory,
    onQueued: () => undefined,
    worker: { clock: () => now, idleMs: 3_600_000, batchSize: 200 },
  });
  await running.worker.stop();
  await eventually(
    async () =>
      (await bed.db.inboxEntry.count({ where: { consumer: REMINDERS_CONSUMER } })) === events.length
        ? true
        : undefined,
    300_000,
  );

  const sentAt = new Map<string, Date>();
  const sends: string[] = [];
  const dispatcher = new NotificationDispatcher({
    db: bed.db,
    sender: {
      send: async (message) => {
        sends.push(message.idempotencyKey);
        return { providerMessageId: randomUUID() };
      },
    },
    contacts: bed.contacts,
    clinicAlertEmail: 'clinic-admins@example.com',
    logger,
  });
  const end = new Date('2027-04-10T00:00:00Z').getTime();
  let kills = 0;
  while (now.getTime() < end) {
    // Three passes die before they commit, as a worker killed with -9 would: nothing of them remains.
    if (
      kills < 3 &&
      (await bed.db.reminder.count({ where: { status: 'pending', dueAt: { lte: now } } })) > 0
    ) {
      kills++;
      await expect(
        inTransaction(bed.db, async (tx) => {
          await claimAndQueue(tx, now, 50);
          throw new Error('killed');
        }),
      ).rejects.toThrow('killed');
    }
    while ((await running.worker.runOnce()) > 0);
    const queued = await bed.db.notification.findMany({
      where: { reason: 'reminder', status: 'pending' },
      select: { id: true },
    });
    for (const { id } of queued) if (!sentAt.has(id)) sentAt.set(id, now);
    while ((await dispatcher.runOnce()) > 0);
    // The next pass: 30 s on, or straight to the next due instant if nothing is due before it.
    const next = await bed.db.reminder.findFirst({ where: { status: 'pending' }, orderBy: { dueAt: 'asc' } });
    const stepped = now.getTime() + STEP_MS;
    if (!next) now = new Date(end);
    else if (next.dueAt.getTime() <= stepped) now = new Date(stepped);
    else now = new Date(next.dueAt.getTime() + Math.floor(Math.random() * STEP_MS));
  }
  expect(kills).toBe(3);

  const reminders = await bed.db.reminder.findMany({
    where: { appointmentId: { in: cases.map((c) => c.appointment.appointmentId) } },
  });
  const notifications = await bed.db.notification.findMany({ where: { reason: 'reminder' } });
  const byId = new Map(notifications.map((n) => [n.id, n]));
  // Exactly once: every notification sent once, one per queued reminder.
  expect(new Set(sends).size).toBe(sends.length);
  expect(notifications.every((n) => n.status === 'sent')).toBe(true);
  expect(new Set(notifications.map((n) => n.eventId)).size).toBe(notifications.length);

  let expectedTotal = 0;
  for (const c of cases) {
    const mine = reminders.filter((r) => r.appointmentId === c.appointment.appointmentId);
    const sent = mine.filter((r) => r.status === 'queued');
    const expectedOffsets =
      c.fate === 'cancelled' || c.fate === 'late-for-both' || c.channel === null
        ? []
        : c.fate === 'late-for-day-before'
          ? [120]
          : OFFSETS;
    expect({
      id: c.appointment.appointmentId,
      fate: c.fate,
      offsets: sent.map((r) => r.offsetMinutes).sort((a, b) => b - a),
    }).toEqual({
      id: c.appointment.appointmentId,
      fate: c.fate,
      offsets: expectedOffsets,
    });
    expectedTotal += expectedOffsets.length;
    for (const reminder of sent) {
      // About the final time, due where the zone's wall clock says, sent within 60 s of it, on the right channel.
      expect(reminder.appointmentStart.getTime()).toBe(c.finalStart.getTime());
      expect(reminder.dueAt.getTime()).toBe(
        dueInstant(c.finalStart, reminder.offsetMinutes, c.zone).getTime(),
      );
      const notification = byId.get(reminder.notificationId ?? '');
      expect(notification?.channel).toBe(c.channel);
      const lag = (sentAt.get(notification?.id ?? '')?.getTime() ?? Infinity) - reminder.dueAt.getTime();
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(60_000);
    }
    if (c.channel === null && c.fate !== 'cancelled' && c.fate !== 'late-for-both') {
      expect(
        mine.filter((r) => r.status === 'skipped' && r.skipReason === 'no_channel').length,
      ).toBeGreaterThan(0);
    }
  }
  // Not vacuous: every expected reminder went out, and some day-before ones spanned a clock change.
  expect(sends.length).toBe(expectedTotal);
  expect(expectedTotal).toBeGreaterThan(900);
  const acrossChange = reminders.filter(
    (r) =>
      r.status === 'queued' &&
      r.offsetMinutes === 1440 &&
      r.appointmentStart.getTime() - r.dueAt.getTime() !== 86_400_000,
  );
  expect(acrossChange.length).toBeGreaterThan(0);
}, 600_000);

/** The instant a local wall-clock time (`YYYY-MM-DDTHH:mm:ss`) names in a zone (none of these is ambiguous). */
function zonedInstant(local: string, zone: string): Date {
  const asUtc = new Date(`${local}Z`).getTime();
  const offsetAt = (instant: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(instant));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return (
      Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant
    );
  };
  const guess = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(guess));
}
