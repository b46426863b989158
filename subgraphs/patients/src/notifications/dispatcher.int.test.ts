import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import pino from 'pino';
import { connectVaultDatabase } from '../database';
import { DevSinkSender } from './dev-sink';
import { NotificationDispatcher, type DispatcherOptions } from './dispatcher';
import { mockNeedsAttention, mockReassigned } from '@clinic/testing';
import { ChannelRouter } from './notification-settings';
import { notificationsTestBed, type NotificationsTestBed } from './testing/notifications-test-setup';
import { queueNotifications } from './queue-notifications';
import { SesEmailSender } from './ses-sender';
import { SnsSmsSender } from './sns-sender';
import { vaultContactLookup } from './vault-contacts';

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
let bed: NotificationsTestBed;

beforeAll(async () => {
  bed = await notificationsTestBed();
}, 600_000);
afterAll(async () => bed?.close());
beforeEach(async () => {
  sns.reset();
  ses.reset();
  // Each test sees only its own queue.
  await bed.db.notification.deleteMany();
});

const sinkIn = () => new DevSinkSender(mkdtempSync(path.join(os.tmpdir(), 'dispatcher-test-')));
const awsSender = () =>
  new ChannelRouter({
    sms: new SnsSmsSender(new SNSClient({ region: 'ap-southeast-2' })),
    email: new SesEmailSender(new SESv2Client({ region: 'ap-southeast-2' }), 'appointments@example.com'),
  });
const dispatcher = (options: Partial<DispatcherOptions> & Pick<DispatcherOptions, 'sender'>) =>
  new NotificationDispatcher({
    db: bed.db,
    contacts: bed.contacts,
    clinicAlertEmail: 'clinic-admins@example.com',
    logger,
    backoffMs: () => 0,
    ...options,
  });

describe('NotificationDispatcher on real PostgreSQL and the encrypted vault', () => {
  it('sends each queued message once, to the contact details in the vault, in the preferred channel', async () => {
    const bySms = await bed.register('sms');
    const byEmail = await bed.register('email');
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const smsEvent = mockReassigned({ clientId: bySms.clientId });
    await queueNotifications(bed.db, [smsEvent, mockReassigned({ clientId: byEmail.clientId })]);
    const sending = dispatcher({ sender: awsSender() });

    expect(await sending.runOnce()).toBe(2);
    expect(await sending.runOnce()).toBe(0);

    const [sms] = sns.commandCalls(PublishCommand);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sms!.args[0].input).toMatchObject({ PhoneNumber: bySms.phone });
    expect(sms!.args[0].input.Message).toContain('Tue, 1 Dec 2026, 10:00 pm UTC is now with another doctor');
    const [email] = ses.commandCalls(SendEmailCommand);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(email!.args[0].input.Destination).toEqual({ ToAddresses: [byEmail.email] });

    const rows = await bed.db.notification.findMany({ orderBy: { channel: 'asc' } });
    expect(rows.map((row) => [row.channel, row.status, row.attempts, row.providerMessageId])).toEqual([
      ['sms', 'sent', 1, 'sns-1'],
      ['email', 'sent', 1, 'ses-1'],
    ]);
    expect(rows.every((row) => row.sentAt instanceof Date)).toBe(true);
  });

  it('retries a provider failure with backoff and then sends exactly one message', async () => {
    const patient = await bed.register('sms');
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
    sns
      .on(PublishCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ MessageId: 'sns-after-retries' });
    await queueNotifications(bed.db, [mockReassigned({ clientId: patient.clientId })]);
    const sending = dispatcher({ sender: awsSender() });

    for (let pass = 0; pass < 3; pass++) expect(await sending.runOnce()).toBe(1);
    expect(await sending.runOnce()).toBe(0);

    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(3);
    // Every attempt is the same message to the same number.
    expect(new Set(calls.map((call) => JSON.stringify(call.args[0].input))).size).toBe(1);
    const [row] = await bed.db.notification.findMany();
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 3,
      providerMessageId: 'sns-after-retries',
      lastError: null,
    });
  });

  it('waits out the backoff before trying again', async () => {
    const patient = await bed.register('sms');
    sns.on(PublishCommand).rejects(Object.assign(new Error('down'), { name: 'InternalErrorException' }));
    await queueNotifications(bed.db, [mockReassigned({ clientId: patient.clientId })]);
    const sending = dispatcher({ sender: awsSender(), backoffMs: () => 3_600_000 });
    expect(await sending.runOnce()).toBe(1);
    expect(await sending.runOnce()).toBe(0);
    const [row] = await bed.db.notification.findMany();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'InternalErrorException' });
  });

  it('marks a message failed after the last attempt, recording the error name only', async () => {
    const patient = await bed.register('email');
    ses.on(SendEmailCommand).rejects(
      Object.assign(new Error(`Address ${patient.email} is on the suppression list`), {
        name: 'MessageRejected',
      }),
    );
    await queueNotifications(bed.db, [mockReassigned({ clientId: patient.clientId })]);
    const sending = dispatcher({ sender: awsSender(), maxAttempts: 3 });
    for (let pass = 0; pass < 3; pass++) expect(await sending.runOnce()).toBe(1);
    expect(await sending.runOnce()).toBe(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
    const [row] = await bed.db.notification.findMany();
    expect(row).toMatchObject({ status: 'failed', attempts: 3, lastError: 'MessageRejected', sentAt: null });
  });

  it('sends nothing for a patient the vault cannot open (never registered or erased)', async () => {
    const sink = sinkIn();
    await queueNotifications(bed.db, [mockReassigned()]);
    expect(await dispatcher({ sender: sink }).runOnce()).toBe(1);
    expect(await sink.entries()).toEqual([]);
    const [row] = await bed.db.notification.findMany();
    expect(row).toMatchObject({ status: 'failed', lastError: 'NoContactDetails' });
  });

  it('sends an alert to the clinic admins address and the patient message for an appointment needing attention', async () => {
    const patient = await bed.register('sms');
    const sink = sinkIn();
    const event = mockNeedsAttention({ clientId: patient.clientId });
    await queueNotifications(bed.db, [event]);
    await dispatcher({ sender: sink }).runOnce();
    const entries = await sink.entries();
    expect(entries.map((entry) => [entry.channel, entry.to]).sort()).toEqual([
      ['email', 'clinic-admins@example.com'],
      ['sms', patient.phone],
    ]);
    expect(entries.find((entry) => entry.channel === 'sms')?.subject).toBeUndefined();
    const alert = entries.find((entry) => entry.channel === 'email');
    expect(alert?.subject).toBe('Appointment needs attention');
    expect(alert?.body).toContain(event.payload.appointmentId);
    expect(alert?.body).not.toContain(patient.clientId);
  });

  it('keeps the message for a retry while the vault does not answer', async () => {
    const patient = await bed.register('sms');
    const sink = sinkIn();
    await queueNotifications(bed.db, [mockReassigned({ clientId: patient.clientId })]);
    // A real client for a vault nobody listens for: every read fails as an outage would.
    const unreachable = connectVaultDatabase(
      `postgresql://clinic:clinic@127.0.0.1:${await closedPort()}/pii_vault`,
    );
    try {
      const outage = dispatcher({
        sender: sink,
        contacts: vaultContactLookup(unreachable, bed.keys.masterKey),
      });
      expect(await outage.runOnce()).toBe(1);
    } finally {
      await unreachable.$disconnect();
    }
    expect(await sink.entries()).toEqual([]);
    const [row] = await bed.db.notification.findMany();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.lastError).toBeTruthy();

    expect(await dispatcher({ sender: sink }).runOnce()).toBe(1);
    expect((await sink.entries()).map((entry) => entry.to)).toEqual([patient.phone]);
  });

  it('shares the queue between dispatchers without sending any message twice', async () => {
    const patients = await Promise.all(Array.from({ length: 10 }, () => bed.register('sms')));
    const events = Array.from({ length: 200 }, (_, index) =>
      mockReassigned({ clientId: patients[index % patients.length]!.clientId }),
    );
    await queueNotifications(bed.db, events);
    const sink = sinkIn();
    const drain = async (one: NotificationDispatcher) => {
      while ((await one.runOnce()) > 0);
    };
    await Promise.all([1, 2, 3].map(() => drain(dispatcher({ sender: sink, batchSize: 25 }))));
    const keys = (await sink.entries()).map((entry) => entry.idempotencyKey);
    expect(keys).toHaveLength(200);
    expect(new Set(keys).size).toBe(200);
    expect(await bed.db.notification.count({ where: { status: 'sent' } })).toBe(200);
  });

  it('leaves no contact detail in any table of the patients database', async () => {
    const patient = await bed.register('email');
    const sink = sinkIn();
    await queueNotifications(bed.db, [
      mockReassigned({ clientId: patient.clientId }),
      mockNeedsAttention({ clientId: patient.clientId }),
    ]);
    await dispatcher({ sender: sink }).runOnce();
    expect((await sink.entries()).map((entry) => entry.to)).toContain(patient.email);

    const tables = await bed.db.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name: table } of tables) {
      const rows = await bed.db.$queryRawUnsafe<{ row: string }[]>(
        `SELECT t::text AS "row" FROM "${table}" t`,
      );
      for (const { row } of rows) {
        expect(row).not.toContain(patient.email);
        expect(row).not.toContain(patient.phone.slice(3));
        expect(row).not.toContain('Tester');
      }
    }
  });
});
