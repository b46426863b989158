import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Identity } from '@clinic/contracts';
import { NotificationDispatcher } from '../notifications/dispatcher';
import { vaultTestBed, type VaultTestBed } from '../vault/testing/vault-test-bed';
import { answerReminder } from './answer-reminder';
import { ReminderWorker } from './reminder-worker';
import { reminderStats } from './reminder-stats';
import { replyTokens, type ReplyTokens } from './reply-tokens';
import { scheduleReminders } from './schedule-reminders';
import { anAppointment, eventOf, type Appointment } from './testing/reminder-events';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
let bed: VaultTestBed;
let tokens: ReplyTokens;
beforeAll(async () => {
  bed = await vaultTestBed();
  tokens = replyTokens(bed.context(null).vaultKeys.blindIndex);
}, 600_000);
afterAll(async () => bed?.close());

const admin = (clinicId: string): Identity => ({ role: 'ClinicAdmin', subject: 'admin', clinicId });

describe('reminderStats', () => {
  it("counts a clinic's reminded appointments and how many were confirmed or cancelled by a reply", async () => {
    const clinicId = randomUUID();
    await bed.db.clinicReminderSettings.create({
      data: { clinicId, offsetsMinutes: [60], channels: ['email'] },
    });
    const start = new Date(Date.now() + 2 * 3_600_000);
    const appointments: Appointment[] = [];
    for (let i = 0; i < 4; i++) {
      const clientId = randomUUID();
      await bed.db.patient.create({ data: { clientId, preferredChannel: 'email' } });
      appointments.push(anAppointment(start, { clinicId, clientId }));
    }
    await scheduleReminders(
      bed.db,
      appointments.map((a) => eventOf('appointment.booked', a, new Date(Date.now() - 864e5))),
      async (ids) => new Map(ids.map((id) => [id, 'Australia/Sydney'])),
    );
    const worker = new ReminderWorker({
      db: bed.db,
      logger,
      replyTokens: tokens,
      clock: () => new Date(start.getTime() - 30 * 60_000),
    });
    while ((await worker.runOnce()) > 0);
    const dispatcher = new NotificationDispatcher({
      db: bed.db,
      sender: { send: async () => ({ providerMessageId: randomUUID() }) },
      // Contacts are not read for the count; every patient "has" an address.
      contacts: async (ids) =>
        new Map(ids.map((id) => [id, { email: 'pat@example.com', phone: '+61255500000' }])),
      clinicAlertEmail: 'clinic-admins@example.com',
      logger,
    });
    while ((await dispatcher.runOnce()) > 0);
    const notifications = await bed.db.notification.findMany({ where: { clinicId, reason: 'reminder' } });
    expect(notifications).toHaveLength(4);
    const tokenOf = (i: number) =>
      tokens.tokenFor(notifications.find((n) => n.appointmentId === appointments[i]!.appointmentId)!.id);
    await answerReminder(tokenOf(0), 'CONFIRM', bed.context(null));
    await answerReminder(tokenOf(1), 'CONFIRM', bed.context(null));
    await answerReminder(tokenOf(2), 'CANCEL', bed.context(null));

    const window = [new Date(start.getTime() - 3_600_000), new Date(start.getTime() + 3_600_000)] as const;
    expect(await reminderStats(bed.context(admin(clinicId)), clinicId, ...window)).toMatchObject({
      __typename: 'ReminderStats',
      reminded: 4,
      confirmed: 2,
      cancelled: 1,
      confirmationRate: 0.5,
    });
    // Outside the window, nothing; another clinic's staff, refused; bad windows, typed.
    const later = [new Date(start.getTime() + 3_600_000), new Date(start.getTime() + 7_200_000)] as const;
    expect(await reminderStats(bed.context(admin(clinicId)), clinicId, ...later)).toMatchObject({
      reminded: 0,
      confirmationRate: null,
    });
    expect(await reminderStats(bed.context(admin(randomUUID())), clinicId, ...window)).toMatchObject({
      __typename: 'NotAllowed',
    });
    expect(await reminderStats(bed.context(admin(clinicId)), clinicId, window[1], window[0])).toMatchObject({
      __typename: 'InvalidInput',
      field: 'to',
    });
    const yearAndADay = new Date(window[0].getTime() + 367 * 86_400_000);
    expect(await reminderStats(bed.context(admin(clinicId)), clinicId, window[0], yearAndADay)).toMatchObject(
      { field: 'to' },
    );
    expect(await reminderStats(bed.context(admin(clinicId)), 'canary-stats', ...window)).toMatchObject({
      field: 'clinicId',
    });
  });
});
