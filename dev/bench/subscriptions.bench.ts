import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { liveHubs } from '@clinic/gateway';
import { createEvent, DATABASE_NAMES, databaseUrlVariable } from '@clinic/platform';
import { infraUp } from '../infra/infra';
import { createTestDatabases } from '../system/real-infra';
import { startTestSystem, type TestSystem } from '../system/test-system';

/**
 * Live updates at scale: one gateway process holding many graphql-sse subscribers (distinct-connections
 * mode: one HTTP stream per subscriber, opened by a separate load process over raw sockets), fed by
 * `slot.changed` events through the real Kafka broker. Reports subscribers held, event-to-client latency
 * (the event's occurredAt to its arrival at the client, same clock) at 1 subscriber (baseline) and at
 * scale, memory per subscriber in the gateway process, and resolutions per event with sharing on and off.
 */
const SUBSCRIBERS = Number(process.env['BENCH_SUBSCRIBERS'] ?? 10_000);
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 30);
const EVENTS_PER_SECOND = Number(process.env['BENCH_EVENTS_PER_SECOND'] ?? 5);
const SHARING_SUBSCRIBERS = 100;

const SUBSCRIPTION = `subscription($doctorId: ID, $from: DateTime!, $to: DateTime!) {
  slotAvailabilityChanged(doctorId: $doctorId, from: $from, to: $to) { slotId status occurredAt slot { start doctor { name clinic { name } } } }
}`;

interface LoadReport {
  kind: 'ready' | 'report';
  open: number;
  failed: number;
  received: number;
  latencies?: number[];
}

// ---- the load process: opens the streams and timestamps every event it reads ---------------------------
async function loadProcess(): Promise<void> {
  const [url, countText, from, to, doctorId] = process.argv.slice(3);
  const count = Number(countText);
  const latencies: number[] = [];
  let open = 0;
  let failed = 0;
  let received = 0;
  const body = JSON.stringify({ query: SUBSCRIPTION, variables: { doctorId, from, to } });
  const connect = () =>
    new Promise<void>((resolve) => {
      const request = http.request(
        url as string,
        {
          method: 'POST',
          agent: false,
          headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
        },
        (response) => {
          if (response.statusCode !== 200) {
            failed++;
            response.resume();
            return resolve();
          }
          response.setEncoding('utf8');
          let buffer = '';
          let opened = false;
          response.on('data', (chunk: string) => {
            if (!opened) {
              opened = true;
              open++;
              resolve();
            }
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const message = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = /^data: (.*)$/m.exec(message)?.[1];
              if (!message.startsWith('event: next') || !data) continue;
              const occurredAt = /"occurredAt":"([^"]+)"/.exec(data)?.[1];
              received++;
              if (occurredAt) latencies.push(Date.now() - Date.parse(occurredAt));
            }
          });
          response.on('error', () => undefined);
        },
      );
      request.on('error', () => {
        failed++;
        resolve();
      });
      request.end(body);
    });
  for (let started = 0; started < count; started += 200) {
    await Promise.all(Array.from({ length: Math.min(200, count - started) }, connect));
  }
  const send = (report: LoadReport) => process.send?.(report);
  send({ kind: 'ready', open, failed, received });
  process.on('message', (message) => {
    if (message === 'report') send({ kind: 'report', open, failed, received, latencies });
    if (message === 'exit') process.exit(0);
  });
}

// ---- the gateway process ------------------------------------------------------------------------------
function startLoad(url: string, count: number, from: string, to: string, doctorId: string) {
  const child: ChildProcess = fork(__filename, ['--load', url, String(count), from, to, doctorId], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  child.setMaxListeners(0); // one 'exit' listener per awaited report
  const next = () =>
    new Promise<LoadReport>((resolve, reject) => {
      child.once('message', (message) => resolve(message as LoadReport));
      child.once('exit', (code) => reject(new Error(`load process exited with ${code}`)));
    });
  return {
    ready: next(),
    report: async () => {
      const reply = next();
      child.send('report');
      return reply;
    },
    stop: async () => {
      child.send('exit');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

const gc = (() => {
  v8.setFlagsFromString('--expose_gc');
  return vm.runInNewContext('gc') as () => void;
})();
const memory = () => {
  gc();
  gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed + usage.external + usage.arrayBuffers };
};
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
  try {
    system = await startTestSystem(
      {},
      {
        ...Object.fromEntries(
          DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]),
        ),
        KAFKA_BROKERS: endpoints.kafkaBrokers,
        KAFKA_GROUP_PREFIX: `bench-live-${randomUUID()}-`,
        // Streams of this run only: tests running beside it publish slot changes on the shared topics.
        KAFKA_TOPIC_PREFIX: `bench-live-${randomUUID()}-`,
        // Every stream comes from 127.0.0.1; the per-address limit is for the public internet.
        RATE_LIMIT_IP_PER_MINUTE: '10000000',
      },
    );
    const hub = [...liveHubs][0];
    if (!hub) throw new Error('the gateway runs no live hub');
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
    const publish = () =>
      bus.publish('appointments', [
        createEvent({
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
        }),
      ]);

    /** Opens `count` streams, sends `events` events at a steady rate, and gathers what arrived. */
    const run = async (count: number, events: number) => {
      const load = startLoad(system?.gatewayUrl ?? '', count, from, to, slot.doctor.id);
      const ready = await load.ready;
      const resolutionsBefore = hub.stats.resolutions;
      const memoryHeld = memory();
      for (let sent = 0; sent < events; sent++) {
        await publish();
        await sleep(1000 / EVENTS_PER_SECOND);
      }
      await waitFor(async () => (await load.report()).received >= ready.open * events, 120_000);
      const report = await load.report();
      await load.stop();
      const latencies = (report.latencies ?? []).sort((a, b) => a - b);
      return {
        open: ready.open,
        failed: ready.failed,
        received: report.received,
        expected: ready.open * events,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        resolutionsPerEvent: (hub.stats.resolutions - resolutionsBefore) / events,
        memoryHeld,
      };
    };

    // Warm-up: query plans, connections to the subgraphs, the Kafka consumer's assignment.
    await run(1, 5);
    const idle = memory();
    const baseline = await run(1, EVENTS);
    hub.shareResolutions = true;
    const shared = await run(SHARING_SUBSCRIBERS, 10);
    hub.shareResolutions = false;
    const unshared = await run(SHARING_SUBSCRIBERS, 10);
    hub.shareResolutions = true;
    await sleep(1000);
    const before = memory();
    const scale = await run(SUBSCRIBERS, EVENTS);
    const perSubscriber = {
      heap: (scale.memoryHeld.heap - before.heap) / Math.max(1, scale.open),
      rss: (scale.memoryHeld.rss - before.rss) / Math.max(1, scale.open),
    };
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(`
Live updates: graphql-sse distinct connections (one HTTP stream per subscriber), Kafka in the path,
${EVENTS} slot.changed events at ${EVENTS_PER_SECOND}/s, one gateway process on ${os.cpus().length} cores
(subgraphs in the same process; the load process separate).

| measure                                  | 1 subscriber (baseline) | ${SUBSCRIBERS} subscribers |
| ---------------------------------------- | ----------------------- | ---------------- |
| subscribers held (open / failed)         | ${baseline.open} / ${baseline.failed} | ${scale.open} / ${scale.failed} |
| deliveries received / expected           | ${baseline.received} / ${baseline.expected} | ${scale.received} / ${scale.expected} |
| event-to-client latency p50              | ${baseline.p50} ms | ${scale.p50} ms (${(scale.p50 / baseline.p50).toFixed(1)}x) |
| event-to-client latency p99              | ${baseline.p99} ms | ${scale.p99} ms (${(scale.p99 / baseline.p99).toFixed(1)}x) |
| gateway memory per subscriber (heap+ext) |  | ${kb(perSubscriber.heap)} |
| gateway memory per subscriber (RSS)      |  | ${kb(perSubscriber.rss)} |

Resolutions per event, ${SHARING_SUBSCRIBERS} subscribers asking the same thing anonymously:
  sharing on: ${shared.resolutionsPerEvent.toFixed(1)}   sharing off: ${unshared.resolutionsPerEvent.toFixed(1)}   (${(unshared.resolutionsPerEvent / Math.max(shared.resolutionsPerEvent, 1e-9)).toFixed(0)}x)
  latency p99 sharing on ${shared.p99} ms, off ${unshared.p99} ms
Idle gateway process before the run: RSS ${(idle.rss / 1048576).toFixed(0)} MB. Load average at the end: ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')} (other work on the machine inflates every latency; compare the ratios).
`);
  } finally {
    await system?.stop();
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
