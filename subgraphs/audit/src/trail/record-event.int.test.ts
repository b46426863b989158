import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { applyMigrations, KafkaEventBus } from '@clinic/platform';
import { mockBookedEvent, createTestDatabases, realInfra, type TestDatabases } from '@clinic/testing';
import { connectAuditDatabase, type AuditDatabase } from '../database';
import { recordEvent, recordEvents } from './record-event';
import { verifyChain } from './verify-chain';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
let databases: TestDatabases;
let db: AuditDatabase;
let bus: KafkaEventBus;

beforeAll(async () => {
  databases = await createTestDatabases(['audit']);
  await applyMigrations(databases.urls.audit, `${__dirname}/../../../../prisma/audit/migrations`);
  db = connectAuditDatabase(databases.urls.audit);
  bus = new KafkaEventBus({
    brokers: realInfra().kafkaBrokers,
    clientId: `inbox-test-${randomUUID()}`,
    logger,
  });
}, 600_000);
afterAll(async () => {
  await bus?.close();
  await db?.$disconnect();
  await databases?.drop();
});

describe('audit consumer with a real broker and PostgreSQL', () => {
  it('records one entry however many times the same event is delivered', async () => {
    const appointmentId = randomUUID();
    const event = mockBookedEvent({
      appointmentId: appointmentId,
      actor: { role: 'Patient', subject: randomUUID() },
    });
    let deliveries = 0;
    await bus.subscribe({
      topic: 'appointments',
      group: `audit-inbox-test-${randomUUID()}`,
      handle: async (delivered) => {
        if (delivered.id !== event.id) return;
        deliveries++;
        await recordEvent(db, delivered);
      },
    });
    for (let copy = 0; copy < 5; copy++) await bus.publish('appointments', [event]);
    const deadline = Date.now() + 90_000; // for a stuck consumer; a busy machine is slow
    while (deliveries < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(deliveries).toBe(5);
    expect(await db.auditEntry.count({ where: { eventId: event.id } })).toBe(1);
    expect(await db.inboxEntry.count({ where: { eventId: event.id } })).toBe(1);
  }, 300_000);

  it('records a batch once, skipping events handled before and duplicates within it', async () => {
    const make = () => {
      const appointmentId = randomUUID();
      return mockBookedEvent({
        appointmentId: appointmentId,
        actor: { role: 'System', subject: 'batch-test' },
      });
    };
    const events = Array.from({ length: 50 }, make);
    await recordEvent(db, events[0]!);
    await recordEvents(db, [...events, events[1]!, events[2]!]);
    await recordEvents(db, events);
    const ids = events.map((event) => event.id);
    expect(await db.auditEntry.count({ where: { eventId: { in: ids } } })).toBe(50);
    expect(await db.inboxEntry.count({ where: { eventId: { in: ids } } })).toBe(50);
    // Skipped duplicates leave no hole in the hash chain.
    expect(await verifyChain(db)).toMatchObject({ ok: true, firstBadRow: null });
  });
});
