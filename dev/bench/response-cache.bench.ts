import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { postGraphQL } from '@clinic/testing';
import { infraStatus, infraUp } from '@clinic/testing/infra';
import { DateTime } from 'luxon';
import { startPodSystem, type Pod } from '../../launcher/src/testing/pods';
import { cpuMs, cpuMsOfTree, reniceThreads, runQueueWaitMs } from './gateway/proc-cpu';

/**
 * The response cache (docs/response-cache.md), on real PostgreSQL and Kafka, one process per service:
 *
 * 1. CPU per availability page, cached against uncached: two gateways over the same subgraphs, one with the
 *    cache off, each warmed up with BENCH_WARMUP requests, take turns round after round; each round reads
 *    the CPU time of the gateway and of every subgraph process from /proc/<pid>/stat. Aim: a cached read
 *    costs the system at most 0.1x.
 * 2. Searches at 200/s, first alone, then with bookings at 20/s (each by a patient of its own, at a steady
 *    rate): 90% repeat a set (they hit until a booking touches them) and 10% (BENCH_MISS_PERCENT) are
 *    searches nobody made before (each a miss), sent from a process of their own at a steady rate, so the
 *    bench's own work never delays a read's timing. Reports the bookings made, the hit rate, read latency
 *    (repeated and new searches apart), the cores each process and the machine used, each process's
 *    event-loop delay, how long each service's main thread waited for a core (schedstat) and the load
 *    average. Aim: p99 under 15 ms with the bookings. BENCH_CANCEL=1 cancels
 *    each booking again: twice the writes, all on the repeated searches' first days. BENCH_NICE_ELSEWHERE=19
 *    runs patients, audit and the broker (which in production have machines of their own) at that nice
 *    level for this part, so the reads' path (gateway, appointments, doctors, PostgreSQL) has the cores first.
 */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const PER_ROUND = Number(process.env['BENCH_REQUESTS'] ?? 500);
// Requests per gateway before anything is measured: the JIT compiles each path only once it runs hot, and
// a cold fast path cost a cached round about twice its warm CPU.
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 2000);
const MIXED_SECONDS = Number(process.env['BENCH_MIXED_SECONDS'] ?? 20);
const BOOKINGS_PER_SECOND = Number(process.env['BENCH_BOOKINGS_PER_SECOND'] ?? 20);
const READS_PER_SECOND = Number(process.env['BENCH_READS_PER_SECOND'] ?? 200);
// 1: each booking takes one of the first free slots of the repeated searches' days and is cancelled again.
// Otherwise each takes a slot of its own, anywhere in the searched doctors' horizon, and keeps it.
const CANCEL = process.env['BENCH_CANCEL'] === '1';
const MISS_PERCENT = Number(process.env['BENCH_MISS_PERCENT'] ?? 10);
const NICE_ELSEWHERE = Number(process.env['BENCH_NICE_ELSEWHERE'] ?? 0);
const CONCURRENCY = 4;
const ZONE = 'Australia/Sydney';

const PAGE = `query Page($f: AvailableSlotsFilter!, $first: Int = 20) {
  availableSlots(filter: $f, first: $first) {
    edges { node { id start end status doctor { id name specialty clinic { id name suburb timeZone } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function main(): Promise<void> {
  // Infrastructure someone else runs (named as jest names it) is used as it is, never started again.
  if (!process.env['TEST_POSTGRES_URL'] || !process.env['TEST_KAFKA_BROKERS']) {
    const infra = await infraUp({ log: () => undefined });
    process.env['TEST_POSTGRES_URL'] ??= infra.databaseUrls.appointments;
    process.env['TEST_KAFKA_BROKERS'] ??= infra.kafkaBrokers;
  }
  console.log('starting the pods (migrate, seed, four subgraphs, two gateways)…');
  const system = await startPodSystem({
    seed: { clinics: 3, doctors: 12, patients: 20, appointments: 0, days: 14 },
  });
  const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
  try {
    const uncached = await system.startPod('gateway', { GATEWAY_RESPONSE_CACHE: 'off' });
    const gateways: Record<'uncached' | 'cached', Pod> = { uncached, cached: system.pods.gateway };
    const urlOf = (pod: Pod) => `http://127.0.0.1:${pod.port}/graphql`;
    const subgraphs = (['doctors', 'appointments', 'patients', 'audit'] as const).map(
      (name) => system.pods[name],
    );
    const doctors = await db.slot.findMany({ distinct: ['doctorId'], select: { doctorId: true } });
    const day = DateTime.now().setZone(ZONE).plus({ days: 2 });
    const searches = doctors.map(({ doctorId }) => ({
      f: { doctorId, fromDate: day.toISODate(), toDate: day.plus({ days: 2 }).toISODate(), timeZone: ZONE },
    }));
    // Searches nobody makes twice: another doctor's days, span and page size each time, in random order.
    const newSearches = doctors
      .flatMap(({ doctorId }) =>
        [3, 4, 5, 6, 7, 8, 9, 10, 11]
          // Only from a weekday: the seed's doctors work Monday to Friday, and an empty page costs less.
          .filter((ahead) => day.plus({ days: ahead }).weekday <= 5)
          .flatMap((ahead) =>
            [0, 1, 2].flatMap((span) =>
              Array.from({ length: 10 }, (_, extra) => ({
                f: {
                  doctorId,
                  fromDate: day.plus({ days: ahead }).toISODate(),
                  toDate: day.plus({ days: ahead + span }).toISODate(),
                  timeZone: ZONE,
                },
                first: 21 + extra,
              })),
            ),
          ),
      )
      .map((search) => ({ search, order: Math.random() }))
      .sort((a, b) => a.order - b.order)
      .map(({ search }) => search);

    // Every gateway answers the same data before anything is measured.
    for (const variables of searches) {
      const [a, b] = await Promise.all(
        [uncached, system.pods.gateway].map((pod) => postGraphQL(urlOf(pod), PAGE, { variables })),
      );
      if (!a || !b || a.body.errors || JSON.stringify(a.body) !== JSON.stringify(b.body))
        throw new Error('the cached and uncached gateways disagree');
    }

    const run = async (pod: Pod, requests: number) => {
      const pids = [pod, ...subgraphs].map((p) => p.child.pid as number);
      const before = pids.map(cpuMs);
      let next = 0;
      let failed = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < requests) {
            const variables = searches[next++ % searches.length];
            const { status, body } = await postGraphQL(urlOf(pod), PAGE, { variables });
            if (status !== 200 || body.errors) failed++;
          }
        }),
      );
      const spent = pids.map((pid, i) => cpuMs(pid) - (before[i] ?? 0));
      return {
        gateway: (spent[0] ?? 0) / requests,
        subgraphs: spent.slice(1).reduce((a, b) => a + b, 0) / requests,
        failed,
      };
    };
    const perRound: Record<'uncached' | 'cached', { gateway: number; subgraphs: number }[]> = {
      uncached: [],
      cached: [],
    };
    let failures = 0;
    for (const name of ['uncached', 'cached'] as const) await run(gateways[name], WARMUP);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ['uncached', 'cached'] as const) {
        const result = await run(gateways[name], PER_ROUND);
        perRound[name].push(result);
        failures += result.failed;
      }
    }
    console.log(
      `\nCPU ms per availability page (median of ${ROUNDS} rounds x ${PER_ROUND}; ${failures} non-200 or errors; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
    );
    const rows = (['uncached', 'cached'] as const).map((name) => {
      const gateway = median(perRound[name].map((r) => r.gateway));
      const subgraphsMs = median(perRound[name].map((r) => r.subgraphs));
      return { name, gateway, subgraphs: subgraphsMs, system: gateway + subgraphsMs };
    });
    const baseline = rows[0]?.system ?? NaN;
    for (const row of rows)
      console.log(
        `  ${row.name.padEnd(9)} gateway ${row.gateway.toFixed(2)}  subgraphs ${row.subgraphs.toFixed(2)}  system ${row.system.toFixed(2)}  (${(row.system / baseline).toFixed(3)}x)`,
      );

    // Its part is done; left running, it would consume every booking's events as a second gateway.
    await uncached.stop();

    // 2. Searches alone, then beside bookings: the same rate, so the difference is what the bookings cost
    // the reads (misses, and the machine's CPU they take), not the machine's load.
    const everyPid = [system.pods.gateway, ...subgraphs].map((p) => p.child.pid as number);
    const infra = await ownInfrastructure();
    if (NICE_ELSEWHERE !== 0) {
      const elsewhere = [system.pods.patients, system.pods.audit].map((p) => p.child.pid as number);
      for (const pid of [...elsewhere, ...(infra.broker === null ? [] : [infra.broker])])
        restorePriorities.push(reniceThreads(pid, NICE_ELSEWHERE));
      console.log(
        `\npatients, audit${infra.broker === null ? '' : ' and the broker'} run at nice ${NICE_ELSEWHERE} from here on (every thread)`,
      );
    }
    const phase = async (bookingsPerSecond: number) => {
      // A patient of their own for each booking: one patient's appointments may not overlap, and most
      // slots of a day share their times with other doctors' slots.
      const patients = await Promise.all(
        Array.from({ length: Math.ceil(bookingsPerSecond * MIXED_SECONDS * 2) }, () =>
          system.token({ role: 'Patient', subject: randomUUID() }),
        ),
      );
      const reader = await startReader();
      const startedAt = performance.now();
      const cpuBefore = everyPid.map(cpuMs);
      const waitBefore = everyPid.map(runQueueWaitMs);
      const machineBefore = machineBusyMs();
      const infraCpu = () => ({
        postgres: infra.postgres === null ? NaN : cpuMsOfTree(infra.postgres),
        broker: infra.broker === null ? NaN : cpuMsOfTree(infra.broker),
      });
      const infraBefore = infraCpu();
      const ownBefore = process.cpuUsage();
      const linesBefore = system.pods.gateway.output().split('\n').length;
      let stop = false;
      const metricsBefore = await lookups(system.pods.gateway);
      // Where a slow read waited: each process's event-loop delay over the phase (reading resets it).
      const pods = {
        gateway: system.pods.gateway,
        ...Object.fromEntries(subgraphs.map((p) => [p.service, p])),
      };
      await Promise.all(Object.values(pods).map(eventLoopLag));
      // Chosen before the phase (with cancels these stay mostly free; one taken meanwhile is refused).
      const candidates = await db.slot.findMany({
        where: {
          status: 'free',
          doctorId: { in: doctors.map((d) => d.doctorId) },
          start: { gt: day.toJSDate() },
        },
        orderBy: { start: 'asc' },
        take: CANCEL ? 50 : 2_000,
        select: { id: true },
      });
      const bookings = { sent: 0, made: 0, refused: 0, failed: 0 };
      // Bookings at a steady rate, each on its own (none waits for the one before), as patients' do.
      const book = async (slotId: string, token: string): Promise<void> => {
        const { status, body } = await postGraphQL(
          urlOf(system.pods.gateway),
          'mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { __typename ... on AppointmentBooked { appointment { id } } } }',
          { token, variables: { i: { slotId, idempotencyKey: randomUUID() } } },
        );
        const outcome = body.data?.['bookAppointment'] as
          { __typename: string; appointment?: { id: string } } | undefined;
        if (status !== 200 || !outcome) return void bookings.failed++;
        if (!outcome.appointment) return void bookings.refused++;
        bookings.made++;
        if (CANCEL)
          await postGraphQL(
            urlOf(system.pods.gateway),
            'mutation($i: CancelAppointmentInput!) { cancelAppointment(input: $i) { __typename } }',
            {
              token,
              variables: { i: { appointmentId: outcome.appointment.id, idempotencyKey: randomUUID() } },
            },
          ).catch(() => undefined); // a cancel that fails leaves the slot booked: the booking still counts
      };
      const booker = async () => {
        if (bookingsPerSecond === 0) return;
        const sent: Promise<void>[] = [];
        const started = Date.now();
        while (!stop) {
          const due = started + (bookings.sent * 1000) / bookingsPerSecond;
          if (Date.now() < due) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
          const slot = CANCEL
            ? candidates[Math.floor(Math.random() * candidates.length)]
            : candidates.splice(Math.floor(Math.random() * candidates.length), 1)[0];
          const token = patients[bookings.sent % patients.length];
          bookings.sent++;
          if (slot && token)
            sent.push(
              book(slot.id, token).catch(() => {
                bookings.failed++;
              }),
            );
        }
        await Promise.all(sent);
      };
      const reading = reader.read({
        url: urlOf(system.pods.gateway),
        query: PAGE,
        repeated: searches,
        fresh: newSearches.splice(
          0,
          Math.ceil(((READS_PER_SECOND * MIXED_SECONDS) / 100) * MISS_PERCENT) + 50,
        ),
        perSecond: READS_PER_SECOND,
        missPercent: MISS_PERCENT,
        seconds: MIXED_SECONDS,
      });
      const booking = booker();
      const reads = await reading;
      stop = true;
      await booking;
      const lags = await Promise.all(
        Object.entries(pods).map(async ([name, pod]) => {
          const lag = await eventLoopLag(pod);
          return `${name} ${lag.p99.toFixed(0)}/${lag.max.toFixed(0)}`;
        }),
      );
      // After the delays: reading the gateway's metrics resets its event-loop histogram.
      const after = await lookups(system.pods.gateway);
      const delta = (result: string) => (after[result] ?? 0) - (metricsBefore[result] ?? 0);
      const hits = delta('hit') + delta('collapsed');
      const sorted = [...reads.repeated, ...reads.fresh].sort((a, b) => a - b);
      const spread = (values: number[]) => {
        const ordered = [...values].sort((a, b) => a - b);
        return [50, 90, 99].map((p) => percentile(ordered, p).toFixed(1)).join('/');
      };
      // How busy the system was: CPU of the gateway and of the subgraphs, in cores (of the machine's 2).
      const [gatewayCpu, ...subgraphCpu] = everyPid.map((pid, i) => cpuMs(pid) - (cpuBefore[i] ?? 0));
      const waited = everyPid.map((pid, i) => runQueueWaitMs(pid) - (waitBefore[i] ?? 0));
      const elapsedMs = performance.now() - startedAt;
      const cores = (ms: number) => (ms / elapsedMs).toFixed(2);
      const own = process.cpuUsage(ownBefore);
      console.log(
        `\nsearches at ${READS_PER_SECOND}/s (${MISS_PERCENT}% new) with bookings at ${bookingsPerSecond}/s${CANCEL ? ', each cancelled again,' : ''} for ${MIXED_SECONDS} s: ${bookings.made} bookings made of ${bookings.sent} sent (${bookings.refused} refused, ${bookings.failed} failed), ${sorted.length} reads (${reads.failed} non-200 or errors${
          reads.failed > 0
            ? `: ${Object.entries(reads.failures)
                .map(([why, count]) => `${count} ${why}`)
                .join(', ')}`
            : ''
        }), hit rate ${((100 * hits) / Math.max(1, hits + delta('miss'))).toFixed(1)}%, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (p50/p90/p99 of repeated searches ${spread(reads.repeated)}, of new ones ${spread(reads.fresh)}; misses ${delta('miss')}, collapsed ${delta('collapsed')}, refreshed ${delta('refreshed')}; cores busy: gateway ${cores(gatewayCpu ?? 0)}, subgraphs ${cores(subgraphCpu.reduce((a, b) => a + b, 0))}; gateway log lines ${system.pods.gateway.output().split('\n').length - linesBefore}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
      );
      console.log(
        `  cores busy: ${subgraphs.map((pod, i) => `${pod.service} ${cores(subgraphCpu[i] ?? 0)}`).join(', ')}, reader ${cores(reads.cpuMs)}, booker ${cores((own.user + own.system) / 1000)}, postgres ${cores(infraCpu().postgres - infraBefore.postgres)}, broker ${cores(infraCpu().broker - infraBefore.broker)}, whole machine ${cores(machineBusyMs() - machineBefore)}`,
      );
      console.log(
        `  event-loop delay p99/max ms (10 ms is none): ${lags.join(', ')}, reader ${reads.loopDelay.p99.toFixed(0)}/${reads.loopDelay.max.toFixed(0)}`,
      );
      console.log(
        `  main thread waiting for a core, ms per s: ${[system.pods.gateway, ...subgraphs].map((pod, i) => `${pod.service} ${((1000 * (waited[i] ?? 0)) / elapsedMs).toFixed(0)}`).join(', ')}`,
      );
    };
    await phase(0);
    await phase(BOOKINGS_PER_SECOND);
  } finally {
    await db.$disconnect();
    await system.stop();
    // The broker outlives the bench: its threads get their priorities back.
    for (const restore of restorePriorities.splice(0)) restore();
  }
}

/** What puts the threads the bench reniced back as they were: run at the end, or when it is interrupted. */
const restorePriorities: (() => void)[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    for (const restore of restorePriorities.splice(0)) restore();
    process.exit(1);
  });

/**
 * The PostgreSQL server (its postmaster) and the broker this bench uses, when `npm run infra:up` (or the
 * bench) started them: another suite's are never counted or reniced. Null when they are someone else's.
 */
async function ownInfrastructure(): Promise<{ postgres: number | null; broker: number | null }> {
  const status = await infraStatus();
  const portOf = (address: string | undefined) => Number(/:(\d+)(?:\/|$)/.exec(address ?? '')?.[1]);
  const postgres = status.postgres.running ? status.postgres.recorded : null;
  const kafka = status.kafka.running ? status.kafka.recorded : null;
  return {
    postgres: postgres && postgres.port === portOf(process.env['TEST_POSTGRES_URL']) ? postgres.pid : null,
    broker:
      kafka && kafka.port === portOf(process.env['TEST_KAFKA_BROKERS']?.split(',')[0]) ? kafka.pid : null,
  };
}

/** CPU time every core of the machine spent busy so far, ms (from /proc/stat: user, nice, system, irq and softirq). */
function machineBusyMs(): number {
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .map(Number);
  const busy = ticks.reduce((sum, value, i) => ([0, 1, 2, 5, 6].includes(i) ? sum + value : sum), 0);
  return busy * 10; // USER_HZ 100
}

/** A process's event-loop delay since its metrics were last read (prom-client resets it on each read), ms. */
async function eventLoopLag(pod: Pod): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`http://127.0.0.1:${pod.metricsPort}/metrics`)).text();
  const seconds = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    p99: seconds('nodejs_eventloop_lag_p99_seconds') * 1000,
    max: seconds('nodejs_eventloop_lag_max_seconds') * 1000,
  };
}

/** The gateway's response-cache lookups by result, from its metrics port. */
async function lookups(pod: Pod): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${pod.metricsPort}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(
    /^graphql_response_cache_lookups_total\{[^}]*result="(\w+)"[^}]*\} (\S+)$/gm,
  ))
    counts[match[1] as string] = (counts[match[1] as string] ?? 0) + Number(match[2]);
  return counts;
}

interface ReadLoad {
  url: string;
  query: string;
  repeated: Record<string, unknown>[];
  fresh: Record<string, unknown>[];
  perSecond: number;
  missPercent: number;
  seconds: number;
}

interface ReadReport {
  repeated: number[];
  fresh: number[];
  failed: number;
  /** Why reads failed: an HTTP status, an error code of ours, or what happened to the connection. */
  failures: Record<string, number>;
  cpuMs: number;
  loopDelay: { p99: number; max: number };
}

/** A second process of this file that runs the searches once it is told the load (over IPC). */
async function startReader(): Promise<{ read(load: ReadLoad): Promise<ReadReport> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--reader'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the reader exited (${code}) without a report`))),
  );
  const message = () =>
    Promise.race([new Promise<unknown>((resolve) => child.once('message', resolve)), exited]);
  await message(); // loaded
  return {
    read: async (load) => {
      child.send(load);
      const report = (await message()) as ReadReport;
      child.disconnect();
      return report;
    },
  };
}

/**
 * The reader: searches arrive at a steady rate, each on its own, as patients' do (not a closed loop that
 * would measure how fast the machine saturates instead), over keep-alive connections of node:http.
 */
async function reader(): Promise<void> {
  const load = await new Promise<ReadLoad>((resolve) => {
    process.once('message', (message) => resolve(message as ReadLoad));
    process.send?.('loaded');
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const report: ReadReport = {
    repeated: [],
    fresh: [],
    failed: 0,
    failures: {},
    cpuMs: 0,
    loopDelay: { p99: 0, max: 0 },
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpuBefore = process.cpuUsage();
  const read = (variables: Record<string, unknown>, into: number[]) =>
    new Promise<void>((resolve) => {
      const body = JSON.stringify({ query: load.query, variables });
      const begun = performance.now();
      let done = false;
      // Every read is timed, those that failed too (a slow error is a slow read); failures also counted.
      const finish = (failure: string | null) => {
        if (done) return;
        done = true;
        into.push(performance.now() - begun);
        if (failure) {
          report.failed++;
          report.failures[failure] = (report.failures[failure] ?? 0) + 1;
        }
        resolve();
      };
      const request = httpRequest(
        load.url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => finish(readFailure(response.statusCode, text)));
          response.on('close', () => finish('closed before its end'));
        },
      );
      // A read that never ends counts as failed rather than holding up the report.
      request.setTimeout(30_000, () => {
        finish('no answer in 30 s');
        request.destroy();
      });
      request.on('error', (error: NodeJS.ErrnoException) => finish(`connection ${error.code ?? error.name}`));
      request.end(body);
    });
  const reads: Promise<void>[] = [];
  const started = Date.now();
  let fresh = 0;
  for (let sent = 0; Date.now() - started < load.seconds * 1000; sent++) {
    const due = started + (sent * 1000) / load.perSecond;
    if (Date.now() < due) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const next = Math.random() * 100 < load.missPercent ? load.fresh[fresh++] : undefined;
    if (next) reads.push(read(next, report.fresh));
    else
      reads.push(
        read(load.repeated[Math.floor(Math.random() * load.repeated.length)] ?? {}, report.repeated),
      );
  }
  await Promise.all(reads);
  const cpu = process.cpuUsage(cpuBefore);
  loop.disable();
  report.cpuMs = (cpu.user + cpu.system) / 1000;
  report.loopDelay = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  agent.destroy();
  process.send?.(report);
}

/** Why a read's answer is a failure, or null: its status, else its first error's code. */
function readFailure(status: number | undefined, text: string): string | null {
  if (status !== 200) return `HTTP ${status ?? 'none'}`;
  if (!text.includes('"errors"')) return null;
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] };
    const code = body.errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : 'an error without a code';
  } catch {
    return 'an answer that is not JSON';
  }
}

// Last, so every module-level constant above is initialised before either role starts.
if (process.argv[2] === '--reader') void reader();
else
  void main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
