import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { connectAppointmentsDatabase, createAppointmentsRelay } from '@clinic/appointments-subgraph';
import { connectAuditDatabase, recordEvent, recordEvents } from '@clinic/audit-subgraph';
import {
  applyMigrations,
  mockBookedEvent,
  enqueueEvents,
  InProcessEventBus,
  KafkaEventBus,
  type EventBus,
  type EventEnvelope,
} from '@clinic/platform';
import { infraUp } from '../infra/infra';
import { createTestDatabases } from '../system/real-infra';

/**
 * End-to-end event delivery: a row committed to the appointments outbox, published by the relay, consumed
 * by the audit service's own handler (inbox row and audit entry in one transaction). Measured on
 * Kafka, and side by side on the in-process bus as the baseline (same databases, same relay, same consumer).
 */
// Silent: a new consumer group also dead-letters the invalid messages tests left on the topic, loudly.
const logger = pino({ level: 'silent' });
const root = path.resolve(__dirname, '../..');

interface Pipeline {
  bus: EventBus;
  arrived: Map<string, number>;
  enqueue(events: EventEnvelope[]): Promise<void>;
  stop(): Promise<void>;
}

async function pipeline(serverUrl: string, makeBus: () => Promise<EventBus>): Promise<Pipeline> {
  const databases = await createTestDatabases(['appointments', 'audit'], serverUrl);
  await applyMigrations(databases.urls.appointments, path.join(root, 'prisma/appointments/migrations'));
  await applyMigrations(databases.urls.audit, path.join(root, 'prisma/audit/migrations'));
  const appointments = connectAppointmentsDatabase(`${databases.urls.appointments}?connection_limit=8`);
  const audit = connectAuditDatabase(`${databases.urls.audit}?connection_limit=20`);
  const bus = await makeBus();
  const arrived = new Map<string, number>();
  const mine = new Set<string>();
  await bus.subscribe({
    topic: 'appointments',
    group: `bench-${randomUUID()}`,
    handle: async (event) => {
      if (!mine.has(event.id)) return;
      await recordEvent(audit, event);
      arrived.set(event.id, performance.timeOrigin + performance.now());
    },
    handleBatch: async (events) => {
      const ours = events.filter((event) => mine.has(event.id));
      await recordEvents(audit, ours);
      const now = performance.timeOrigin + performance.now();
      for (const event of ours) arrived.set(event.id, now);
    },
  });
  const relay = createAppointmentsRelay(appointments, bus, logger);
  relay.start();
  return {
    bus,
    arrived,
    enqueue: async (events) => {
      for (const event of events) mine.add(event.id);
      await appointments.$transaction((tx) => enqueueEvents(tx, 'appointments', events));
      relay.poke();
    },
    stop: async () => {
      await relay.stop();
      await bus.close();
      await Promise.all([appointments.$disconnect(), audit.$disconnect()]);
      await databases.drop();
    },
  };
}

const event = () => {
  const id = randomUUID();
  return mockBookedEvent({ appointmentId: id, actor: { role: 'System', subject: 'bench' } });
};

async function waitFor(p: Pipeline, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Only moves forward: rescanning every arrived id each 5 ms cost the measured thread CPU per event.
  let waiting = 0;
  for (;;) {
    while (waiting < ids.length && p.arrived.has(ids[waiting] ?? '')) waiting++;
    if (waiting === ids.length) return;
    if (Date.now() > deadline)
      throw new Error(`only ${ids.filter((id) => p.arrived.has(id)).length}/${ids.length} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Writers committing at once, as concurrent requests do; one writer alone tops out near 4,000/s here. */
const WRITERS = Number(process.env['BENCH_WRITERS'] ?? 4);

/**
 * As fast as it goes: N events committed in batches of 100 by WRITERS concurrent writers, timed until
 * the last is consumed.
 */
async function throughput(p: Pipeline, total: number): Promise<number> {
  const events = Array.from({ length: total }, event);
  const started = performance.now();
  let next = 0;
  const writer = async () => {
    for (let offset = next; offset < total; offset = next) {
      next += 100;
      await p.enqueue(events.slice(offset, offset + 100));
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  await waitFor(
    p,
    events.map((e) => e.id),
    300_000,
  );
  return total / ((performance.now() - started) / 1000);
}

/** A steady rate (events per second) for `seconds`; latency from commit to consumed. */
async function latency(p: Pipeline, rate: number, seconds: number): Promise<{ p50: number; p99: number }> {
  const committedAt = new Map<string, number>();
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const ticks = Math.round((seconds * 1000) / tickMs);
  const start = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    const batch = Array.from({ length: perTick }, event);
    await p.enqueue(batch);
    const now = performance.timeOrigin + performance.now();
    for (const e of batch) committedAt.set(e.id, now);
    const next = start + (tick + 1) * tickMs;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await waitFor(p, [...committedAt.keys()], 120_000);
  const samples = [...committedAt].map(([id, at]) => (p.arrived.get(id) ?? at) - at).sort((a, b) => a - b);
  const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { p50: pick(0.5), p99: pick(0.99) };
}

async function main() {
  const total = Number(process.env['BENCH_EVENTS'] ?? 50_000);
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
  console.log('event delivery: outbox -> relay -> bus -> audit consumer (inbox + entry), real PostgreSQL');
  const endpoints = await infraUp({ log: () => undefined });
  const kafka = async () => {
    // Topics of its own: a new group reads only the bench's events, not every test's history on the
    // shared broker, and other processes' traffic does not land in the measurement.
    const bus = new KafkaEventBus({
      brokers: [endpoints.kafkaBrokers],
      clientId: 'bench',
      logger,
      topicPrefix: `bench-${randomUUID()}.`,
    });
    await bus.connect();
    return bus;
  };
  const inProcess = async () => new InProcessEventBus({ logger });
  const results: Record<string, { throughput: number; p50: number; p99: number }> = {};
  for (const [name, make] of [
    ['in-process (baseline)', inProcess],
    ['kafka', kafka],
  ] as const) {
    const p = await pipeline(endpoints.databaseUrls.doctors, make);
    try {
      await throughput(p, 500); // warm-up: connections, JIT, consumer group join
      // Latency first: after the throughput run, PostgreSQL is busy vacuuming and checkpointing what it
      // wrote, which would land in a steady-rate measurement that follows it.
      const { p50, p99 } = await latency(p, 1_000, seconds);
      const rate = await throughput(p, total);
      results[name] = { throughput: rate, p50, p99 };
      console.log(
        `  ${name.padEnd(22)} ${rate.toFixed(0).padStart(6)} events/s sustained (${total} events); ` +
          `at 1,000 events/s for ${seconds} s: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
      );
    } finally {
      await p.stop();
    }
  }
  const base = results['in-process (baseline)'];
  const measured = results['kafka'];
  if (base && measured) {
    console.log(
      `  kafka / baseline: throughput x${(measured.throughput / base.throughput).toFixed(2)}, ` +
        `p50 x${(measured.p50 / base.p50).toFixed(2)}, p99 x${(measured.p99 / base.p99).toFixed(2)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
