import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { Client } from 'pg';
import { applyMigrations, KafkaEventBus } from '@clinic/platform';
import { createTestDatabases, type TestDatabases } from '@clinic/testing';
import { infraDown, infraUp, restartKafka, type InfraOptions } from '@clinic/testing/infra';
import { bookAppointment } from '../../subgraphs/appointments/src/booking/book-appointment';
import type { AppointmentsContext } from '../../subgraphs/appointments/src/context';
import {
  connectAppointmentsDatabase,
  type AppointmentsDatabase,
} from '../../subgraphs/appointments/src/database';
import { createScheduleLoaders } from '../../subgraphs/appointments/src/schedule/loaders';
import { createAppointmentsRelay } from '../../subgraphs/appointments/src/events/relay';

const root = path.resolve(__dirname, '../..');
const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
const BOOKINGS = 1_000;
/**
 * This test restarts its broker, so it gets a private PostgreSQL and Kafka pair of its own: the shared
 * pair keeps serving the other test files that run alongside it.
 */
const privateInfra: InfraOptions = {
  dataDir: path.join(root, '.data/infra-resilience'),
  pgPort: 55450,
  kafkaPort: 59192,
  kafkaControllerPort: 59193,
  // infraUp brings a trace store too: one of its own, beside the shared one.
  jaegerOtlpHttpPort: 54348,
  jaegerOtlpGrpcPort: 54347,
  jaegerQueryPort: 56716,
  log: () => undefined,
};
let brokers: string;
let databases: TestDatabases;
let db: AppointmentsDatabase;
let bus: KafkaEventBus;
const clinicId = randomUUID();
/** Its own consumer groups: other test files run audit consumers on the same broker at the same time. */
const groupPrefix = `resilience-${randomUUID()}-`;

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid) process.kill(-child.pid, signal);
}

beforeAll(async () => {
  const endpoints = await infraUp(privateInfra);
  brokers = endpoints.kafkaBrokers;
  databases = await createTestDatabases(['appointments', 'audit'], endpoints.databaseUrls.doctors);
  await applyMigrations(databases.urls.appointments, path.join(root, 'prisma/appointments/migrations'));
  await applyMigrations(databases.urls.audit, path.join(root, 'prisma/audit/migrations'));
  db = connectAppointmentsDatabase(databases.urls.appointments);
  bus = new KafkaEventBus({
    brokers: [brokers],
    clientId: `resilience-${randomUUID()}`,
    logger,
  });
  await bus.connect();
  const doctors = Array.from({ length: 20 }, () => randomUUID());
  const first = Date.now() + 864e5;
  await db.slot.createMany({
    data: Array.from({ length: BOOKINGS }, (_, i) => ({
      id: randomUUID(),
      doctorId: doctors[i % doctors.length] as string,
      clinicId,
      start: new Date(first + Math.floor(i / doctors.length) * 1_800_000),
      end: new Date(first + Math.floor(i / doctors.length) * 1_800_000 + 1_800_000),
    })),
  });
}, 600_000);
afterAll(async () => {
  await bus?.close();
  await db?.$disconnect();
  await databases?.drop();
  await infraDown(privateInfra);
}, 600_000);

/** The audit service in its own process, consuming from Kafka, so the test can kill it without warning. */
function startAuditConsumer(): Promise<ChildProcess> {
  const child = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    ['system/events/audit-consumer-process.ts', databases.urls.audit, brokers],
    // Its own process group, so a kill reaches the node process behind the tsx launcher too.
    {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', KAFKA_GROUP_PREFIX: groupPrefix },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('audit consumer running')) resolve(child);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`audit consumer exited with ${code}: ${output}`)));
  });
}

/** This test's entries only: a new consumer group also reads what other tests left on the topic. */
async function auditCounts(): Promise<{ entries: number; distinct: number; inbox: number }> {
  const client = new Client({ connectionString: databases.urls.audit });
  await client.connect();
  try {
    const { rows } = await client.query<{ entries: string; distinct: string; inbox: string }>(
      `SELECT (SELECT count(*) FROM audit_entry WHERE clinic_id = $1) AS entries,
              (SELECT count(DISTINCT event_id) FROM audit_entry WHERE clinic_id = $1) AS distinct,
              (SELECT count(*) FROM inbox JOIN audit_entry USING (event_id) WHERE clinic_id = $1) AS inbox`,
      [clinicId],
    );
    const row = rows[0];
    return { entries: Number(row?.entries), distinct: Number(row?.distinct), inbox: Number(row?.inbox) };
  } finally {
    await client.end();
  }
}

describe('a stream of bookings through a broker restart and a killed consumer', () => {
  it('consumes every event exactly once and loses none', async () => {
    const relay = createAppointmentsRelay(db, bus, logger);
    relay.start();
    let consumer = await startAuditConsumer();
    const slots = await db.slot.findMany({ select: { id: true }, orderBy: { start: 'asc' } });
    let booked = 0;
    const book = async (slotId: string) => {
      const clientId = randomUUID();
      const context: AppointmentsContext = {
        identity: { role: 'Patient', subject: clientId },
        correlationId: randomUUID(),
        logger,
        db,
        outbox: relay,
        holdMinutes: 10,
        holdsPerPatient: 2,
        loaders: createScheduleLoaders(db),
      };
      const result = await bookAppointment({ slotId, idempotencyKey: `resilience-${slotId}` }, context);
      if (result.__typename !== 'AppointmentBooked') throw new Error(`booking failed: ${result.__typename}`);
      booked++;
    };

    for (let offset = 0; offset < slots.length; offset += 10) {
      await Promise.all(slots.slice(offset, offset + 10).map((slot) => book(slot.id)));
      if (offset === 300) await restartKafka(privateInfra); // bookings keep being accepted while the broker is away
      if (offset === 600) {
        kill(consumer, 'SIGKILL'); // mid-batch: whatever it had not committed is delivered again
        consumer = await startAuditConsumer();
      }
    }
    expect(booked).toBe(BOOKINGS);
    // Every event this test's bookings wrote (a booking writes appointment.booked and slot.changed).
    const events = await db.outboxEvent.count();
    expect(events).toBeGreaterThanOrEqual(BOOKINGS);

    const deadline = Date.now() + 150_000;
    let counts = await auditCounts();
    while (counts.entries < events && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      counts = await auditCounts();
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    counts = await auditCounts();
    kill(consumer, 'SIGTERM');
    await relay.stop();
    expect(counts).toEqual({ entries: events, distinct: events, inbox: events });
    expect(await db.outboxEvent.count({ where: { publishedAt: null } })).toBe(0);
  }, 300_000);
});
