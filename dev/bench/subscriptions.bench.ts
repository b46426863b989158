import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { createTestDatabases } from '@clinic/testing';
import { infraUp } from '@clinic/testing/infra';
import { deleteBenchTopics } from './bench-topics';
import { startGatewayProcess, type GatewayProcess } from './gateway-process';
import { LIFTED_LIMITS, startTestSystem, type TestSystem } from '../../system/test-system';

/**
 * Live updates at scale: one gateway process holding many graphql-sse subscribers (distinct-connections
 * mode: one HTTP stream per subscriber, opened by a separate load process over raw sockets), fed by
 * `slot.changed` events through the real Kafka broker. Reports subscribers held, event-to-client latency
 * (the event's occurredAt to its arrival at the client, same clock) at 1 subscriber (baseline) and at
 * scale, memory per subscriber in the gateway process, and resolutions per event with sharing on and off.
 */
const SUBSCRIBERS = Number(process.env['BENCH_SUBSCRIBERS'] ?? 10_000);
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 30);
const EVENTS_PER_SECOND = Number(process.env['BENCH_EVENTS_PER_SECOND'] ?? 2);
const SHARING_SUBSCRIBERS = 100;
/** Events sent while half the streams are open, before memory is measured there. */
const HALF_EVENTS = 3;

const SUBSCRIPTION = `subscription($doctorId: ID, $from: DateTime!, $to: DateTime!) {
  slotAvailabilityChanged(doctorId: $doctorId, from: $from, to: $to) { slotId status occurredAt slot { start doctor { name clinic { name } } } }
}`;

interface LoadReport {
  kind: 'ready' | 'count' | 'report';
  open: number;
  failed: number;
  received: number;
  /** Latencies per event, keyed by the event's occurredAt (ms since the epoch). */
  latencies?: [number, number[]][];
}

// ---- the load process: opens the streams and timestamps every event it reads ---------------------------
/**
 * Raw sockets and a hand-written POST, and the bytes scanned for the two markers it needs: on these two
 * cores the load process competes with the gateway, so it does as little per event as it can (node:http
 * would parse every chunk and decode every string).
 */
async function loadProcess(): Promise<void> {
  const [url, countText, from, to, doctorId, spreadText] = process.argv.slice(3);
  const target = new URL(url as string);
  const count = Number(countText);
  const latencies = new Map<number, number[]>();
  let open = 0;
  let failed = 0;
  let received = 0;
  // With a spread, the n-th stream watches a range ending n spreads later: the same selection, other filters.
  const spreadMs = Number(spreadText) * 60_000;
  const request = (n: number) => {
    const end = spreadMs > 0 ? new Date(Date.parse(to as string) + n * spreadMs).toISOString() : to;
    const body = JSON.stringify({ query: SUBSCRIPTION, variables: { doctorId, from, to: end } });
    return Buffer.from(
      `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: text/event-stream\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };
  const sameRequest = request(0);
  const NEXT = 'event: next';
  const OCCURRED = '"occurredAt":"';
  const connect = (n: number) =>
    new Promise<void>((resolve) => {
      const socket = net.connect(Number(target.port), target.hostname);
      let opened = false;
      let pending = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        const now = Date.now();
        if (!opened) {
          opened = true;
          if (!chunk.startsWith('HTTP/1.1 200')) {
            failed++;
            socket.destroy();
            return resolve();
          }
          open++;
          resolve();
        }
        const text = pending + chunk;
        let position = 0;
        pending = '';
        for (;;) {
          const start = text.indexOf(NEXT, position);
          if (start < 0) break;
          const end = text.indexOf('\n\n', start);
          if (end < 0) {
            pending = text.slice(start);
            break;
          }
          received++;
          const at = text.indexOf(OCCURRED, start);
          if (at >= 0 && at < end) {
            const value = text.slice(at + OCCURRED.length, text.indexOf('"', at + OCCURRED.length));
            const occurredAt = Date.parse(value);
            const list = latencies.get(occurredAt) ?? [];
            if (list.length === 0) latencies.set(occurredAt, list);
            list.push(now - occurredAt);
          }
          position = end + 2;
        }
      });
      socket.on('error', () => {
        if (!opened) {
          opened = true;
          failed++;
          resolve();
        }
      });
      socket.write(spreadMs > 0 ? request(n) : sameRequest);
    });
  const openBatch = async (upTo: number) => {
    for (let started = open + failed; started < upTo; started += 200)
      await Promise.all(
        Array.from({ length: Math.min(200, upTo - started) }, (_, n) => connect(started + n)),
      );
  };
  const send = (report: LoadReport) => process.send?.(report);
  // Half first, so the gateway can measure memory at two sizes: the slope is the cost per subscriber.
  await openBatch(Math.ceil(count / 2));
  send({ kind: 'ready', open, failed, received });
  process.on('message', (message) => {
    if (message === 'rest') void openBatch(count).then(() => send({ kind: 'ready', open, failed, received }));
    if (message === 'count') send({ kind: 'count', open, failed, received });
    if (message === 'report') send({ kind: 'report', open, failed, received, latencies: [...latencies] });
    if (message === 'exit') process.exit(0);
  });
}

// ---- the gateway process ------------------------------------------------------------------------------
function startLoad(url: string, count: number, from: string, to: string, doctorId: string, spread: number) {
  const child: ChildProcess = fork(
    __filename,
    ['--load', url, String(count), from, to, doctorId, String(spread)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    },
  );
  child.setMaxListeners(0); // one 'exit' listener per awaited report
  const next = () =>
    new Promise<LoadReport>((resolve, reject) => {
      child.once('message', (message) => resolve(message as LoadReport));
      child.once('exit', (code) => reject(new Error(`load process exited with ${code}`)));
    });
  const ask = (message: 'rest' | 'count' | 'report') => {
    const reply = next();
    child.send(message);
    return reply;
  };
  return {
    half: next(),
    rest: () => ask('rest'),
    count: () => ask('count'),
    report: () => ask('report'),
    stop: async () => {
      child.send('exit');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(200);
  }
  return false;
}

async function main(): Promise<void> {
  const endpoints = await infraUp();
  const serverUrl = endpoints.databaseUrls.doctors;
  const databases = await createTestDatabases(DATABASE_NAMES, serverUrl);
  let system: TestSystem | null = null;
  let gateway: GatewayProcess | null = null;
  const common = {
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    KAFKA_GROUP_PREFIX: `bench-live-${randomUUID()}-`,
    // Streams of this run only: tests running beside it publish slot changes on the shared topics.
    KAFKA_TOPIC_PREFIX: `bench-live-${randomUUID()}-`,
  };
  try {
    system = await startTestSystem(
      {},
      {
        ...Object.fromEntries(
          DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]),
        ),
        ...common,
      },
    );
    // The gateway measured runs alone in its process, as deployed; the subgraphs stay in this one.
    gateway = await startGatewayProcess(system, {
      ...common,
      // Every stream comes from 127.0.0.1: the per-address limits are lifted, as the test system does.
      ...LIFTED_LIMITS,
    });
    const measured = gateway;
    const from = new Date(Date.now() - 864e5).toISOString();
    const to = new Date(Date.now() + 30 * 864e5).toISOString();
    const free = await system.graphql(
      `query($from: DateTime!, $to: DateTime!) { freeSlots(from: $from, to: $to, first: 1) { id start end doctor { id clinic { id } } } }`,
      { variables: { from: new Date().toISOString(), to } },
    );
    const slot = (
      free.body.data?.['freeSlots'] as {
        id: string;
        start: string;
        end: string;
        doctor: { id: string; clinic: { id: string } };
      }[]
    )[0];
    if (!slot) throw new Error('no free slot to change');
    const bus = system.bus;
    let flip = 0;
    /** Publishes the next change of the slot; resolves to its occurredAt (ms), which the client sees. */
    const publish = async (): Promise<number> => {
      const event = createEvent({
        type: 'slot.changed',
        aggregateId: slot.id,
        actor: { role: 'System', subject: 'bench' },
        payload: {
          slotId: slot.id,
          doctorId: slot.doctor.id,
          clinicId: slot.doctor.clinic.id,
          start: slot.start,
          end: slot.end,
          status: flip++ % 2 ? 'free' : 'busy',
        },
      });
      await bus.publish('appointments', [event]);
      return Date.parse(event.occurredAt);
    };

    /**
     * Opens half the streams and sends a few events, measures memory, opens the rest, sends one first
     * event and waits for all of it, then sends `events` events at a steady rate; then measures memory
     * again. Both memory points are taken in the same state (events have flowed, two forced collections).
     * The first event after the streams open is reported apart, and in a p99 of all: it meets a process
     * just out of a connect storm (and, at one subscriber, just out of the forced collections), which the
     * steady rate never sees again.
     */
    const run = async (count: number, events: number, spreadMinutes = 0) => {
      const load = startLoad(measured.url, count, from, to, slot.doctor.id, spreadMinutes);
      const half = await load.half;
      const atHalf = HALF_EVENTS * half.open;
      for (let sent = 0; sent < HALF_EVENTS; sent++) {
        await publish();
        await sleep(1000 / EVENTS_PER_SECOND);
      }
      await waitFor(async () => (await load.count()).received >= atHalf, 60_000);
      const memoryHalf = await measured.memory();
      const opening = performance.now();
      const ready = await load.rest();
      const openedPerSecond = (ready.open - half.open) / ((performance.now() - opening) / 1000);
      const resolutionsBefore = await measured.resolutions();
      const firstAt = await publish();
      await waitFor(async () => (await load.count()).received >= atHalf + ready.open, 60_000);
      await sleep(1000 / EVENTS_PER_SECOND);
      const steadyAt: number[] = [];
      for (let sent = 0; sent < events; sent++) {
        steadyAt.push(await publish());
        await sleep(1000 / EVENTS_PER_SECOND);
      }
      const expected = atHalf + ready.open * (events + 1);
      await waitFor(async () => (await load.count()).received >= expected, 120_000);
      const memoryHeld = await measured.memory();
      const report = await load.report();
      await load.stop();
      const byEvent = new Map(report.latencies ?? []);
      const sorted = (values: number[]) => values.sort((a, b) => a - b);
      const first = sorted([...(byEvent.get(firstAt) ?? [])]);
      const steady = sorted(steadyAt.flatMap((at) => byEvent.get(at) ?? []));
      return {
        open: ready.open,
        failed: ready.failed,
        openedPerSecond,
        received: report.received,
        expected,
        p50: percentile(steady, 50),
        p99: percentile(steady, 99),
        first: { p50: percentile(first, 50), p99: percentile(first, 99) },
        p99All: percentile(sorted([...first, ...steady]), 99),
        resolutionsPerEvent: ((await measured.resolutions()) - resolutionsBefore) / (events + 1),
        memoryHeld,
        /** Bytes per subscriber between half and all of them open: the marginal cost, without fixed costs. */
        slope: {
          heap: (memoryHeld.heap - memoryHalf.heap) / Math.max(1, ready.open - half.open),
          rss: (memoryHeld.rss - memoryHalf.rss) / Math.max(1, ready.open - half.open),
        },
      };
    };

    // Warm-up: query plans, connections to the subgraphs, the Kafka consumer's assignment.
    await run(1, 5);
    const idle = await measured.memory();
    const baseline = await run(1, EVENTS);
    await measured.share(true);
    const shared = await run(SHARING_SUBSCRIBERS, 10);
    // Each watching a range of its own (ending a minute after the one before): the same selection.
    const sharedAcrossRanges = await run(SHARING_SUBSCRIBERS, 10, 1);
    await measured.share(false);
    const unshared = await run(SHARING_SUBSCRIBERS, 10);
    await measured.share(true);
    await sleep(1000);
    const before = await measured.memory();
    const scale = await run(SUBSCRIBERS, EVENTS);
    const perSubscriber = {
      heap: (scale.memoryHeld.heap - before.heap) / Math.max(1, scale.open),
      rss: (scale.memoryHeld.rss - before.rss) / Math.max(1, scale.open),
    };
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(`
Live updates: distinct connections (one HTTP stream per subscriber), Kafka in the path,
${EVENTS} slot.changed events at ${EVENTS_PER_SECOND}/s after a first one (reported apart), one gateway process on ${os.cpus().length} cores
(the gateway alone in its process, as deployed; the subgraphs in the bench's process; the load process
separate). Memory per subscriber, measured after events have flowed and two forced collections: "all"
divides the growth from no subscribers to all of them; "slope" only the growth from half to all.

| measure                                  | 1 subscriber (baseline) | ${SUBSCRIBERS} subscribers |
| ---------------------------------------- | ----------------------- | ---------------- |
| subscribers held (open / failed)         | ${baseline.open} / ${baseline.failed} | ${scale.open} / ${scale.failed} |
| streams opened per second, second half   |  | ${scale.openedPerSecond.toFixed(0)} |
| deliveries received / expected           | ${baseline.received} / ${baseline.expected} | ${scale.received} / ${scale.expected} |
| event-to-client latency p50              | ${baseline.p50} ms | ${scale.p50} ms (${(scale.p50 / baseline.p50).toFixed(1)}x) |
| event-to-client latency p99              | ${baseline.p99} ms | ${scale.p99} ms (${(scale.p99 / baseline.p99).toFixed(1)}x) |
| first event after the streams open: p50 / p99 | ${baseline.first.p50} / ${baseline.first.p99} ms | ${scale.first.p50} / ${scale.first.p99} ms |
| p99 of every delivery, the first event's too | ${baseline.p99All} ms | ${scale.p99All} ms |
| gateway memory per subscriber, heap+ext: all / slope  |  | ${kb(perSubscriber.heap)} / ${kb(scale.slope.heap)} |
| gateway memory per subscriber, RSS: all / slope       |  | ${kb(perSubscriber.rss)} / ${kb(scale.slope.rss)} |

Resolutions per event, ${SHARING_SUBSCRIBERS} subscribers asking the same thing anonymously:
  sharing on: ${shared.resolutionsPerEvent.toFixed(1)}   sharing off: ${unshared.resolutionsPerEvent.toFixed(1)}   (${(unshared.resolutionsPerEvent / Math.max(shared.resolutionsPerEvent, 1e-9)).toFixed(0)}x)
  latency p99 sharing on ${shared.p99} ms, off ${unshared.p99} ms
  each watching a date range of its own, sharing on: ${sharedAcrossRanges.resolutionsPerEvent.toFixed(1)} (p99 ${sharedAcrossRanges.p99} ms)
Idle gateway process before the run: RSS ${(idle.rss / 1048576).toFixed(0)} MB. Load average at the end: ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')} (other work on the machine inflates every latency; compare the ratios).
`);
  } finally {
    await gateway?.stop();
    await system?.stop();
    await deleteBenchTopics(endpoints.kafkaBrokers, common.KAFKA_TOPIC_PREFIX);
    await databases.drop();
  }
}

if (process.argv[2] === '--load') {
  loadProcess().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
