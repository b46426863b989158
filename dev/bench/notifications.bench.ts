import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import {
  connectPatientsDatabase,
  connectVaultDatabase,
  DevSinkSender,
  loadVaultKeys,
  startNotifications,
  storePatientDetails,
  vaultContactLookup,
} from '@clinic/patients-subgraph';
import { applyMigrations, InProcessEventBus, KafkaEventBus, type EventBus } from '@clinic/platform';
import { createTestDatabases, migrationsDir, mockReassigned } from '@clinic/testing';
import { infraUp } from '@clinic/testing/infra';

/**
 * A doctor with N future appointments goes on leave and every one is re-assigned: N
 * `appointment.reassigned` events arrive in one run (as the relay publishes a re-assignment's outbox
 * batch). Timed until every notification is queued (inbox + notification rows committed), and until every
 * one is sent to the development sink (contact details read from the encrypted vault per dispatch batch).
 * Real PostgreSQL; on Kafka, and side by side on the in-process bus as the baseline.
 */
// Silent: a new consumer group also dead-letters the invalid messages tests left on the topic, loudly.
const logger = pino({ level: 'silent' });

interface Result {
  queuedMs: number;
  sentMs: number;
}

async function run(serverUrl: string, bus: EventBus, total: number): Promise<Result> {
  const databases = await createTestDatabases(['patients', 'pii_vault'], serverUrl);
  await applyMigrations(databases.urls.patients, migrationsDir('patients'));
  await applyMigrations(databases.urls.pii_vault, migrationsDir('pii_vault'));
  const db = connectPatientsDatabase(databases.urls.patients);
  const vault = connectVaultDatabase(databases.urls.pii_vault);
  const keys = await loadVaultKeys({ devDir: mkdtempSync(path.join(os.tmpdir(), 'bench-keys-')) });
  const sink = new DevSinkSender(mkdtempSync(path.join(os.tmpdir(), 'notifications-bench-')));
  const notifications = await startNotifications({
    db,
    bus,
    sender: sink,
    devSink: sink,
    clinicAlertEmail: 'clinic-admins@example.com',
    contacts: vaultContactLookup(vault, keys.masterKey),
    logger,
  });
  try {
    // Mock patients only: example.com addresses, numbers from the ACMA's fictional 02 5550 xxxx range.
    const patients = Array.from({ length: total }, (_, index) => ({
      clientId: randomUUID(),
      preferredChannel: index % 2 ? ('email' as const) : ('sms' as const),
      details: {
        givenName: 'Pat',
        familyName: `Bench${index}`,
        dateOfBirth: '1980-01-01',
        email: `pat.bench${index}@example.com`,
        phone: `+6125550${String(index).padStart(4, '0')}`,
        address: '1 Example Street, Sydney NSW 2000',
        ihi: null,
      },
    }));
    await storePatientDetails(vault, keys, patients);
    await db.patient.createMany({
      data: patients.map(({ clientId, preferredChannel }) => ({ clientId, preferredChannel })),
    });
    const progress = async (ids: string[]) => {
      const [row] = await db.$queryRawUnsafe<{ queued: number; sent: number }[]>(
        `SELECT count(*)::int AS "queued", (count(*) FILTER (WHERE "status" = 'sent'))::int AS "sent"
         FROM "notification" WHERE "event_id" = ANY($1::uuid[])`,
        ids,
      );
      return row ?? { queued: 0, sent: 0 };
    };
    const deliver = async (count: number): Promise<Result> => {
      const clinicId = randomUUID();
      const first = Date.parse('2026-12-07T22:00:00Z');
      const events = Array.from({ length: count }, (_, index) =>
        mockReassigned({
          clientId: patients[index % patients.length]?.clientId ?? randomUUID(),
          clinicId,
          start: new Date(first + index * 15 * 60_000).toISOString(),
        }),
      );
      const ids = events.map((event) => event.id);
      const started = performance.now();
      await bus.publish('appointments', events);
      let queuedMs = NaN;
      for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
        const { queued, sent } = await progress(ids);
        if (queued === count && Number.isNaN(queuedMs)) queuedMs = performance.now() - started;
        if (sent === count) return { queuedMs, sentMs: performance.now() - started };
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`not all ${count} notifications were sent within 5 minutes`);
    };
    await deliver(50); // warm-up: connections, JIT, consumer group join (and catching up on the topic)
    return await deliver(total);
  } finally {
    await bus.close();
    await notifications.stop();
    await Promise.all([db.$disconnect(), vault.$disconnect()]);
    await databases.drop();
  }
}

async function main() {
  const total = Number(process.env['BENCH_APPOINTMENTS'] ?? 500);
  console.log(
    `notifications: ${total} appointments re-assigned at once -> queued (inbox + rows) -> sent to the sink ` +
      '(contact details from the encrypted vault), real PostgreSQL',
  );
  const endpoints = await infraUp({ log: () => undefined });
  const serverUrl = endpoints.databaseUrls.patients;
  const results: Record<string, Result> = {};
  for (const [name, makeBus] of [
    ['in-process (baseline)', () => new InProcessEventBus({ logger })],
    [
      'kafka',
      () =>
        new KafkaEventBus({
          brokers: [endpoints.kafkaBrokers],
          clientId: 'notifications-bench',
          groupPrefix: `bench-${randomUUID()}-`,
          logger,
        }),
    ],
  ] as const) {
    const result = await run(serverUrl, makeBus(), total);
    results[name] = result;
    console.log(
      `  ${name.padEnd(22)} all queued in ${result.queuedMs.toFixed(0).padStart(5)} ms, ` +
        `all sent in ${result.sentMs.toFixed(0).padStart(5)} ms ` +
        `(${((total / result.sentMs) * 1000).toFixed(0)} notifications/s end to end; aim: under 5,000 ms)`,
    );
  }
  const base = results['in-process (baseline)'];
  const kafka = results['kafka'];
  if (base && kafka) {
    console.log(
      `  kafka / baseline: queued x${(kafka.queuedMs / base.queuedMs).toFixed(2)}, ` +
        `sent x${(kafka.sentMs / base.sentMs).toFixed(2)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
