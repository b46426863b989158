import path from 'node:path';
import { Client } from 'pg';
import { connectAppointmentsDatabase, type AppointmentsDatabase } from '@clinic/appointments-subgraph';
import { eventually } from '@clinic/testing';
import { postgresDown, postgresUp, type InfraOptions } from '@clinic/testing/infra';
import { book, planBookings, type BookingAnswer, type PlannedBooking } from '../testing/bookings';
import { startPodSystem, type PodSystem } from '../testing/pods';

/**
 * PostgreSQL restarted (fast shutdown, then start) while 20 clients book continuously through the gateway,
 * every service its own process on real Kafka. The test restarts its database server, so it has one of
 * its own (port 55470, its own state folder): the shared server keeps serving the other test files.
 * During the outage a client gets SERVICE_UNAVAILABLE, fast, and retries with the same idempotency key;
 * afterwards every booking a client saw acknowledged is in the database and in the audit trail, and the
 * services recovered without a restart.
 */

const root = path.resolve(__dirname, '..', '..', '..');
const privateInfra: InfraOptions = {
  dataDir: path.join(root, '.data', 'infra-drain-database'),
  pgPort: 55470,
  kafkaPort: 59212,
  kafkaControllerPort: 59213,
  log: () => undefined,
};
const CLIENTS = 20;
const SUBGRAPH_TIMEOUT_MS = 10_000;
// A request that outlasts the subgraph timeout by this much has hung (generous: a busy machine).
const HANG_MS = SUBGRAPH_TIMEOUT_MS + 30_000;

let system: PodSystem;
let db: AppointmentsDatabase;

beforeAll(async () => {
  const urls = await postgresUp(privateInfra);
  system = await startPodSystem({
    postgresUrl: urls.appointments,
    env: { SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS) },
  });
  db = connectAppointmentsDatabase(system.databaseUrls.appointments);
});

afterAll(async () => {
  await db?.$disconnect();
  await system?.stop();
  await postgresDown(privateInfra);
});

const readiness = async (port: number): Promise<number> => {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
};

it('PostgreSQL restarted under 20 booking clients: SERVICE_UNAVAILABLE meanwhile, nothing acknowledged is lost', async () => {
  const planned = await planBookings(db, 800, 'drain-c');
  // Everything is ready before the outage (the consumers have their partitions).
  await eventually(async () => ((await readiness(system.pods.gateway.port)) === 200 ? true : undefined));

  let phase: 'before' | 'down' | 'after' = 'before';
  let stopping = false;
  const acknowledged: { booking: PlannedBooking; phase: string }[] = [];
  const unavailable = { before: 0, down: 0, after: 0 };
  const unexpected: { answer: BookingAnswer; phase: string }[] = [];
  const queue = [...planned];
  const clients = Array.from({ length: CLIENTS }, async () => {
    for (let booking = queue.shift(); booking && !stopping; booking = queue.shift()) {
      for (;;) {
        const answer = await book(system.gatewayUrl, booking, system.token, HANG_MS);
        if (answer.kind === 'booked') {
          acknowledged.push({ booking, phase });
          break;
        }
        if (answer.kind === 'error' && answer.codes.every((code) => code === 'SERVICE_UNAVAILABLE')) {
          // Retryable, as documented: the same booking, the same idempotency key, after a short pause.
          unavailable[phase]++;
          await new Promise((resolve) => setTimeout(resolve, 250));
          continue;
        }
        unexpected.push({ answer, phase });
        break;
      }
    }
  });

  await eventually(async () => (acknowledged.length >= 40 ? true : undefined));
  phase = 'down';
  await postgresDown(privateInfra);
  const { appointments, gateway } = system.pods;
  // Clients are told to retry; the appointments service leaves the endpoints, the gateways do not (they
  // answer with the code, and report the subgraph as a dependency).
  await eventually(async () => (unavailable.down >= CLIENTS ? true : undefined));
  expect(await readiness(appointments.port)).toBe(503);
  expect(await readiness(gateway.port)).toBe(200);
  // The subgraph's own probe of a database that is down can outlast the gateway's 2 s probe of it on a
  // busy machine ("unreachable: ... timeout"); the subgraph's answer, once it comes, is the 503.
  const dependency = async () =>
    (
      (await fetch(`http://127.0.0.1:${gateway.port}/readyz`).then((response) => response.json())) as {
        dependencies: Record<string, string>;
      }
    ).dependencies['subgraph:appointments'];
  expect(await eventually(async () => ((await dependency()) === 'answered 503' ? true : undefined))).toBe(
    true,
  );
  await postgresUp(privateInfra);
  phase = 'after';
  const acknowledgedBefore = acknowledged.length;
  await eventually(async () => ((await readiness(appointments.port)) === 200 ? true : undefined));
  await eventually(async () => (acknowledged.length >= acknowledgedBefore + 40 ? true : undefined));
  stopping = true;
  await Promise.all(clients);

  // On failure, the services' own account of what they masked says which error was not recognised.
  const masked = () =>
    Object.values(system.pods).flatMap((pod) =>
      pod
        .output()
        .split('\n')
        .filter((line) => line.includes('internal error masked'))
        .slice(0, 2),
    );
  expect({ unexpected, masked: unexpected.length ? masked() : [] }).toEqual({ unexpected: [], masked: [] });
  expect(unavailable.before).toBe(0);
  // No service was restarted: every process that started is still the one running.
  for (const pod of Object.values(system.pods)) expect(pod.child.exitCode).toBeNull();

  // Every acknowledged booking is in the database, once, and in the audit trail.
  const slotIds = acknowledged.map(({ booking }) => booking.slotId);
  const rows = await db.appointment.findMany({
    where: { slotId: { in: slotIds }, status: 'booked' },
    select: { slotId: true, clientId: true },
  });
  expect(rows).toHaveLength(acknowledged.length);
  const owner = new Map(rows.map((row) => [row.slotId, row.clientId]));
  expect(acknowledged.filter(({ booking }) => owner.get(booking.slotId) !== booking.clientId)).toEqual([]);
  const audit = new Client({ connectionString: system.databaseUrls.audit });
  await audit.connect();
  try {
    const wanted = acknowledged.map(({ booking }) => booking.correlationId);
    const audited = await eventually(async () => {
      const { rows: entries } = await audit.query<{ correlation_id: string; entries: string }>(
        `SELECT correlation_id, count(*) AS entries FROM audit_entry
          WHERE action = 'appointment.booked' AND correlation_id = ANY($1::text[])
          GROUP BY correlation_id`,
        [wanted],
      );
      return entries.length >= wanted.length ? entries : undefined;
    });
    expect(audited.filter((row) => Number(row.entries) !== 1)).toEqual([]);
    const { rows: deadLetters } = await audit.query('SELECT reason FROM dead_letter');
    expect(deadLetters).toEqual([]);
  } finally {
    await audit.end();
  }
});
