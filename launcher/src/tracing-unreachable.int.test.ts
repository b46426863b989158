import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { eventually } from '@clinic/testing';
import { startPodSystem, type Pod, type PodSystem } from './testing/pods';

/**
 * Issue 17, bad input and failure: a trace collector that never answers, or refuses connections, never
 * slows or fails a request. Export is batched in the background, bounded by a queue and a timeout, and
 * what could not be sent is counted. The five services run as separate processes on real PostgreSQL and
 * Kafka; the gateway, doctors and audit export to a server that accepts and never answers, appointments
 * and patients to a port that refuses.
 */

/** The exporter's timeout, set explicitly: a request that waited for an export would take at least this. */
const EXPORT_TIMEOUT_MS = 20_000;
const sockets: net.Socket[] = [];
let blackHole: net.Server;
let blackHolePort: number;
let refusingPort: number;
let system: PodSystem;

function listenOn(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

beforeAll(async () => {
  // Accepts every connection and never writes a byte back.
  blackHole = net.createServer((socket) => void sockets.push(socket));
  blackHolePort = await listenOn(blackHole);
  // Bound, then closed: nothing listens there, so every connection is refused.
  const closed = net.createServer();
  refusingPort = await listenOn(closed);
  await new Promise((resolve) => closed.close(resolve));
  const refusing = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${refusingPort}` };
  system = await startPodSystem({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${blackHolePort}`,
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: String(EXPORT_TIMEOUT_MS),
      // A small queue, so a collector that never answers fills it within a few bookings.
      OTEL_BSP_MAX_QUEUE_SIZE: '64',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
    serviceEnv: { appointments: refusing, patients: refusing },
  });
}, 600_000);

afterAll(async () => {
  await system?.stop();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => blackHole?.close(resolve));
});

const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }`;

/** Stops a pod and reads the count of spans it could not deliver from its last log lines. */
async function droppedSpansOf(pod: Pod): Promise<number> {
  expect(await pod.stop()).toBe(0);
  const line = pod
    .output()
    .split('\n')
    .find((candidate) => candidate.includes('"tracing stopped"'));
  if (!line)
    throw new Error(`${pod.service} logged no "tracing stopped" line:\n${pod.output().slice(-2_000)}`);
  return (JSON.parse(line) as { droppedSpans: number }).droppedSpans;
}

describe('an unreachable trace collector', () => {
  it('neither fails nor holds a booking, and the spans it could not take are counted as dropped', async () => {
    const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
    const durations: number[] = [];
    try {
      const patients = [
        ...new Set(
          (await db.appointment.findMany({ select: { clientId: true } })).map((row) => row.clientId),
        ),
      ].slice(0, 5);
      for (let round = 0; round < 2; round++) {
        for (const clientId of patients) {
          const busy = await db.appointment.findMany({ where: { clientId }, select: { start: true } });
          const slot = await db.slot.findFirstOrThrow({
            where: { status: 'free', start: { gt: new Date(), notIn: busy.map((row) => row.start) } },
            orderBy: { start: 'asc' },
          });
          const started = performance.now();
          const { body } = await system.graphql(BOOK, {
            token: await system.token({ role: 'Patient', subject: clientId }),
            variables: { input: { slotId: slot.id, idempotencyKey: randomUUID() } },
          });
          durations.push(performance.now() - started);
          expect(body).toEqual({ data: { bookAppointment: { __typename: 'AppointmentBooked' } } });
        }
      }
    } finally {
      await db.$disconnect();
    }
    expect(durations).toHaveLength(10);
    // Not a latency budget: a booking that waited for an export would take the whole export timeout.
    for (const ms of durations) expect(ms).toBeLessThan(EXPORT_TIMEOUT_MS / 2);
    // The exporters did try: the black hole holds their connections open.
    expect(sockets.length).toBeGreaterThan(0);

    // Counted on the metrics port too, where the TraceSpansDropped alert reads it.
    await eventually(async () => {
      const scrape = await fetch(`http://127.0.0.1:${system.pods.appointments.metricsPort}/metrics`);
      const match = /^otel_spans_dropped_total(?:\{[^}]*\})? (\d+)/m.exec(await scrape.text());
      return match && Number(match[1]) > 0 ? true : undefined;
    });
    // The gateway's queue filled while its exports hung; appointments' exports were refused.
    expect(await droppedSpansOf(system.pods.gateway)).toBeGreaterThan(0);
    expect(await droppedSpansOf(system.pods.appointments)).toBeGreaterThan(0);
  });
});
