import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { EventEnvelope } from '@clinic/contracts';
import {
  connectPatientsDatabase,
  connectVaultDatabase,
  DevSinkSender,
  storePatientDetails,
  vaultContactLookup,
} from '@clinic/patients-subgraph';
import { applyMigrations } from '@clinic/platform';
import { createTestDatabases, migrationsDir } from '@clinic/testing';
import { infraUp } from '@clinic/testing/infra';
import { NotificationDispatcher } from '../../subgraphs/patients/src/notifications/dispatcher';
import type { NotificationSender, OutgoingMessage } from '../../subgraphs/patients/src/notifications/sender';
import { ReminderWorker } from '../../subgraphs/patients/src/reminders/reminder-worker';
import { replyTokens } from '../../subgraphs/patients/src/reminders/reply-tokens';
import { scheduleReminders } from '../../subgraphs/patients/src/reminders/schedule-reminders';
import { anAppointment, eventOf } from '../../subgraphs/patients/src/reminders/testing/reminder-events';
import { BlindIndex } from '../../subgraphs/patients/src/vault/blind-index';
import { LocalMasterKey } from '../../subgraphs/patients/src/vault/keys/master-key';

/**
 * Reminders at scale (issue 19): BENCH_APPOINTMENTS (100,000) future appointments are booked, their
 * `appointment.booked` events handed to the real scheduling path (`scheduleReminders`: inbox and reminder
 * rows in one transaction) in batches of BENCH_BATCH (500), one batch after another as one consumer would;
 * timed. BENCH_DUE (5,000) of them start at the same minute, so their day-before reminders fall due at
 * one instant (BENCH_SPREAD_SECONDS spreads them over that many seconds instead). The reminder worker
 * (production defaults: 500 a pass, idle poll 5 s, started at a random moment in the 5 s before the
 * burst) goes by a clock shifted so that the burst comes a few real seconds after it starts; it queues
 * notifications and pokes the dispatcher (production defaults: 100 a batch, 16 sends at once, contact
 * details from the encrypted vault), which sends to the development sink, or, with BENCH_SEND_RATE, to a
 * stand-in that accepts that many messages a second (a provider's quota). Measured per reminder: due
 * instant → notification queued, and → sent (its `sent_at`). Real PostgreSQL; no bus (the worker and the
 * dispatcher read the database only).
 */
const logger = pino({ level: 'silent' });
const APPOINTMENTS = Number(process.env['BENCH_APPOINTMENTS'] ?? 100_000);
const DUE = Number(process.env['BENCH_DUE'] ?? 5_000);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 500);
// At most 10,000: their mock phone numbers are the 10,000 of the fictional block, one patient each.
const PATIENTS = Math.min(10_000, Number(process.env['BENCH_PATIENTS'] ?? Math.min(DUE, 5_000)));
const SPREAD_SECONDS = Number(process.env['BENCH_SPREAD_SECONDS'] ?? 0);
const SEND_RATE = process.env['BENCH_SEND_RATE'] ? Number(process.env['BENCH_SEND_RATE']) : null;
const ZONES = ['Australia/Sydney', 'Australia/Brisbane', 'Australia/Adelaide', 'Australia/Perth'] as const;
/** The burst's instant: 10:00 am on Tuesday 16 February 2027 in Sydney (no clock change near it). */
const BURST = Date.parse('2027-02-15T23:00:00Z');
const DAY = 86_400_000;

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** Accepts at most `perSecond` messages a second (a token bucket of one second), then the sink. */
class RateLimitedSender implements NotificationSender {
  private next = 0;
  constructor(
    private readonly inner: NotificationSender,
    private readonly perSecond: number,
  ) {}

  async send(message: OutgoingMessage): Promise<{ providerMessageId: string }> {
    const now = performance.now();
    const slot = Math.max(now, this.next);
    this.next = slot + 1000 / this.perSecond;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    return this.inner.send(message);
  }
}

async function main() {
  if (DUE > APPOINTMENTS) throw new Error('BENCH_DUE must not exceed BENCH_APPOINTMENTS');
  const serverUrl =
    process.env['TEST_POSTGRES_URL'] ?? (await infraUp({ log: () => undefined })).databaseUrls.patients;
  console.log(
    `reminders: ${APPOINTMENTS} future appointments scheduled in batches of ${BATCH}, ${DUE} due ` +
      `${SPREAD_SECONDS > 0 ? `within ${SPREAD_SECONDS} s` : 'at the same instant'}; sender ` +
      `${SEND_RATE ? `accepting ${SEND_RATE}/s` : 'the development sink'}; real PostgreSQL ` +
      `(load average ${loadAverage()})`,
  );
  const databases = await createTestDatabases(['patients', 'pii_vault'], serverUrl);
  await applyMigrations(databases.urls.patients, migrationsDir('patients'));
  await applyMigrations(databases.urls.pii_vault, migrationsDir('pii_vault'));
  const db = connectPatientsDatabase(databases.urls.patients);
  const vault = connectVaultDatabase(databases.urls.pii_vault);
  const keys = { masterKey: LocalMasterKey.generate(), blindIndex: new BlindIndex(randomBytes(32)) };
  const tokens = replyTokens(keys.blindIndex);
  let worker: ReminderWorker | null = null;
  let dispatcher: NotificationDispatcher | null = null;
  try {
    // Mock patients only: example.com addresses, numbers from the ACMA's fictional 02 5550 xxxx range.
    const patients = Array.from({ length: PATIENTS }, (_, index) => ({
      clientId: randomUUID(),
      preferredChannel: index % 2 ? ('email' as const) : ('sms' as const),
      details: {
        givenName: 'Pat',
        familyName: `Bench${index}`,
        dateOfBirth: '1980-01-01',
        email: `pat.bench${index}@example.com`,
        phone: `+6125550${String(index % 10_000).padStart(4, '0')}`,
        address: '1 Example Street, Sydney NSW 2000',
        ihi: null,
      },
    }));
    for (let from = 0; from < patients.length; from += 1_000) {
      const chunk = patients.slice(from, from + 1_000);
      await storePatientDetails(vault, keys, chunk);
      await db.patient.createMany({
        data: chunk.map(({ clientId, preferredChannel }) => ({ clientId, preferredChannel })),
      });
    }

    // 40 clinics, 10 in each zone; the burst's appointments are at the Sydney ones.
    const clinics = Array.from({ length: 40 }, (_, index) => ({
      clinicId: randomUUID() as string,
      zone: ZONES[index % ZONES.length] ?? 'Australia/Sydney',
    }));
    const sydney = clinics.filter((clinic) => clinic.zone === 'Australia/Sydney');
    const zoneOf = new Map<string, string>(clinics.map((clinic) => [clinic.clinicId, clinic.zone]));
    const zones = async (ids: readonly string[]) =>
      new Map(ids.flatMap((id) => (zoneOf.has(id) ? [[id, zoneOf.get(id) ?? ''] as const] : [])));
    const bookedAt = new Date(BURST - 7 * DAY);
    const events: EventEnvelope[] = [];
    for (let index = 0; index < APPOINTMENTS; index++) {
      const patient = patients[index % patients.length];
      let clinic;
      let start: number;
      if (index < DUE) {
        // Tomorrow at 10:00 in Sydney: the day-before reminder falls due at the burst (the 2-hour one 22 h on).
        clinic = sydney[index % sydney.length];
        start = BURST + DAY + (SPREAD_SECONDS > 0 ? Math.floor((index / DUE) * SPREAD_SECONDS * 1000) : 0);
      } else {
        // Two to sixty days on, on the quarter hour: nothing of theirs falls due during the bench.
        clinic = clinics[index % clinics.length];
        start = BURST + 2 * DAY + Math.floor(Math.random() * 58 * 96) * 15 * 60_000;
      }
      const appointment = anAppointment(new Date(start), {
        clinicId: clinic?.clinicId ?? '',
        clientId: patient?.clientId ?? '',
      });
      events.push(eventOf('appointment.booked', appointment, bookedAt));
    }
    const batchMs: number[] = [];
    const scheduling = performance.now();
    for (let from = 0; from < events.length; from += BATCH) {
      const began = performance.now();
      await scheduleReminders(db, events.slice(from, from + BATCH), zones, logger);
      batchMs.push(performance.now() - began);
    }
    const schedulingMs = performance.now() - scheduling;
    const scheduled = await db.reminder.count({ where: { status: 'pending' } });
    console.log(
      `  scheduled ${scheduled} reminders for ${APPOINTMENTS} appointments in ${(schedulingMs / 1000).toFixed(1)} s ` +
        `(${((APPOINTMENTS / schedulingMs) * 1000).toFixed(0)} appointments/s; a batch of ${BATCH}: ` +
        `p50 ${percentile(batchMs, 50).toFixed(0)} ms, p99 ${percentile(batchMs, 99).toFixed(0)} ms; ` +
        `load average ${loadAverage()})`,
    );

    // The worker's clock runs at real speed, shifted so that the burst comes `lead` ms after it starts.
    const lead = 1_000 + Math.random() * 5_000;
    const shift = BURST - lead - Date.now();
    const sink = new DevSinkSender(mkdtempSync(path.join(os.tmpdir(), 'reminders-bench-')));
    const sender = SEND_RATE ? new RateLimitedSender(sink, SEND_RATE) : sink;
    const running = new NotificationDispatcher({
      db,
      sender,
      contacts: vaultContactLookup(vault, keys.masterKey),
      clinicAlertEmail: 'clinic-admins@example.com',
      directory: {
        clinic: async (clinicId) => ({ name: 'Bench Clinic', timeZone: zoneOf.get(clinicId) ?? 'UTC' }),
        doctorName: async () => 'Bench',
      },
      replyLinks: { tokens, pageUrl: () => 'https://clinic.example.com/reminder' },
      logger,
    });
    dispatcher = running;
    worker = new ReminderWorker({
      db,
      logger,
      clock: () => new Date(Date.now() + shift),
      onQueued: () => running.poke(),
      replyTokens: tokens,
    });
    dispatcher.start();
    worker.start();
    const deadline = Date.now() + lead + 600_000;
    let progress = { sent: 0, failed: 0 };
    for (;;) {
      const [row] = await db.$queryRawUnsafe<{ sent: number; failed: number }[]>(
        `SELECT (count(*) FILTER (WHERE "status" = 'sent'))::int AS "sent",
                (count(*) FILTER (WHERE "status" = 'failed'))::int AS "failed"
           FROM "notification" WHERE "reason" = 'reminder'`,
      );
      progress = row ?? progress;
      if (progress.sent + progress.failed >= DUE) break;
      if (Date.now() > deadline) throw new Error(`only ${progress.sent} of ${DUE} sent within 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const loadAtEnd = loadAverage();
    await worker.stop();
    await dispatcher.stop();
    worker = null;
    dispatcher = null;

    const rows = await db.$queryRawUnsafe<{ due: Date; queued: Date; sent: Date | null }[]>(
      `SELECT r."due_at" AS "due", n."created_at" AS "queued", n."sent_at" AS "sent"
         FROM "reminder" r JOIN "notification" n ON n."id" = r."notification_id"
        WHERE r."status" = 'queued'`,
    );
    const queuedLag = rows.map((row) => row.queued.getTime() + shift - row.due.getTime());
    const sentLag = rows.map((row) => (row.sent ? row.sent.getTime() + shift - row.due.getTime() : NaN));
    const lastSent = Math.max(...rows.map((row) => (row.sent ? row.sent.getTime() + shift : 0)));
    const firstDue = Math.min(...rows.map((row) => row.due.getTime()));
    const throughput = (progress.sent / (lastSent - firstDue)) * 1000;
    // Once the worker saw the burst: the pace of the worker, the dispatcher and the sender alone.
    const firstQueued = Math.min(...rows.map((row) => row.queued.getTime() + shift));
    const drain = (progress.sent / (lastSent - firstQueued)) * 1000;
    const early = rows.filter((row) => row.due.getTime() > BURST + SPREAD_SECONDS * 1000).length;
    const figures = {
      queued: {
        p50: percentile(queuedLag, 50),
        p99: percentile(queuedLag, 99),
        max: Math.max(...queuedLag),
      },
      sent: { p50: percentile(sentLag, 50), p99: percentile(sentLag, 99), max: Math.max(...sentLag) },
    };
    console.log(
      `  burst of ${DUE}: ${progress.sent} sent, ${progress.failed} failed, ${rows.length} queued by the worker ` +
        `(${early} not of the burst); worker started ${(lead / 1000).toFixed(1)} s before it`,
    );
    console.log('  lag from due instant        p50 s    p99 s    max s');
    for (const [name, lag] of [
      ['to notification queued', figures.queued],
      ['to sent', figures.sent],
    ] as const) {
      console.log(
        `  ${name.padEnd(26)} ${(lag.p50 / 1000).toFixed(2).padStart(6)} ${(lag.p99 / 1000).toFixed(2).padStart(8)} ` +
          `${(lag.max / 1000).toFixed(2).padStart(8)}`,
      );
    }
    console.log(
      `  throughput: ${throughput.toFixed(0)} reminders/s from the due instant to the last sent, ` +
        `${drain.toFixed(0)}/s from the first queued; ` +
        `aim: p99 due → sent under 60 s: ${figures.sent.p99 < 60_000 ? 'met' : 'NOT met'} ` +
        `(load average ${loadAtEnd})`,
    );
    const root = path.resolve(__dirname, '..', '..');
    const dir = path.join(root, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `reminders-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          appointments: APPOINTMENTS,
          due: DUE,
          batch: BATCH,
          patients: PATIENTS,
          spreadSeconds: SPREAD_SECONDS,
          sendRate: SEND_RATE,
          scheduling: {
            ms: schedulingMs,
            reminders: scheduled,
            batchP50Ms: percentile(batchMs, 50),
            batchP99Ms: percentile(batchMs, 99),
          },
          workerLeadMs: lead,
          sent: progress.sent,
          failed: progress.failed,
          lagMs: figures,
          throughputPerSecond: throughput,
          drainPerSecond: drain,
          loadAverage: loadAtEnd,
        },
        null,
        2,
      ),
    );
    console.log(`  written to ${path.relative(root, file)}`);
  } finally {
    await worker?.stop();
    await dispatcher?.stop();
    await Promise.all([db.$disconnect(), vault.$disconnect()]);
    await databases.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
