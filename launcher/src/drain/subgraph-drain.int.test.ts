import { Client } from 'pg';
import { connectAppointmentsDatabase, type AppointmentsDatabase } from '@clinic/appointments-subgraph';
import { eventually } from '@clinic/testing';
import { book, planBookings, type BookingAnswer } from '../testing/bookings';
import type { PodSystem } from '../testing/pods';
import type { RoundRobinProxy } from '../testing/round-robin-proxy';
import { startTwoReplicas } from '../testing/two-replicas';

/**
 * A rolling update of a subgraph under load: the appointments service runs twice (one process each, on
 * real PostgreSQL and Kafka), the gateway reaching them through a round-robin proxy that health-checks
 * `/readyz` like a Service's endpoints. Ten clients book continuously; one replica gets SIGTERM in the
 * middle, with requests in flight, outbox rows to publish and partitions to hand over. Every booking must
 * succeed, and the audit trail must hold each booking's event exactly once.
 */

const BOOKINGS = 240;
const CLIENTS = 10;

let proxy: RoundRobinProxy;
let system: PodSystem;
let db: AppointmentsDatabase;

beforeAll(async () => {
  ({ system, proxy } = await startTwoReplicas('appointments'));
  db = connectAppointmentsDatabase(system.databaseUrls.appointments);
});

afterAll(async () => {
  await db?.$disconnect();
  await proxy?.close();
  await system?.stop();
});

it('SIGTERM to one of two appointments replicas while clients book: every booking succeeds, each event is audited once', async () => {
  const planned = await planBookings(db, BOOKINGS, 'drain-b');
  const answers = new Map<string, BookingAnswer>();
  const queue = [...planned];
  const clients = Array.from({ length: CLIENTS }, async () => {
    for (let next = queue.shift(); next; next = queue.shift())
      answers.set(next.correlationId, await book(system.gatewayUrl, next, system.token));
  });
  const [first, other] = proxy.backends as [(typeof proxy.backends)[0], (typeof proxy.backends)[0]];
  // A third of the way in, the first replica is told to stop, as a rollout would.
  await eventually(async () => (answers.size >= BOOKINGS / 3 ? true : undefined));
  const servedBefore = first.requests;
  const exited = system.pods.appointments.stop();
  await Promise.all(clients);
  expect(await exited).toBe(0);

  const failures = [...answers.values()].filter((answer) => answer.kind !== 'booked');
  expect({ answered: answers.size, failures }).toEqual({ answered: BOOKINGS, failures: [] });
  expect(proxy.stats.failed).toBe(0);
  // Its /readyz said 503 before it stopped accepting: the balancer had turned from it by then (a
  // refusal is only possible if the other one's checks also failed, which makes the proxy fail open).
  expect(first.turnedUnhealthyAt).not.toBeNull();
  expect(first.turnedUnhealthyAt ?? 0).toBeLessThan(first.firstRefusedAt ?? Infinity);
  // Both replicas took bookings, and the other one took all of them once the first had gone.
  expect(servedBefore).toBeGreaterThan(0);
  expect(other.requests).toBeGreaterThan(0);
  expect(first.healthy).toBe(false);

  const booked = await db.appointment.count({
    where: { slotId: { in: planned.map((booking) => booking.slotId) }, status: 'booked' },
  });
  expect(booked).toBe(BOOKINGS);
  // The outbox of the stopped replica was published (by it, or by the other's relay), and consumed once.
  const audit = new Client({ connectionString: system.databaseUrls.audit });
  await audit.connect();
  try {
    const perBooking = await eventually(async () => {
      const { rows } = await audit.query<{ correlation_id: string; entries: string }>(
        `SELECT correlation_id, count(*) AS entries FROM audit_entry
          WHERE action = 'appointment.booked' AND correlation_id LIKE 'drain-b-%'
          GROUP BY correlation_id`,
      );
      return rows.length >= BOOKINGS ? rows : undefined;
    });
    expect(perBooking).toHaveLength(BOOKINGS);
    expect(perBooking.filter((row) => Number(row.entries) !== 1)).toEqual([]);
    const { rows: deadLetters } = await audit.query('SELECT id FROM dead_letter');
    expect(deadLetters).toEqual([]);
  } finally {
    await audit.end();
  }
});
