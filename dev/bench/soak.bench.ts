import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { DEFAULT_SEED, isSeeded, loadConfig, seed, startSystem } from '@clinic/launcher';
import { issueDevToken } from '@clinic/platform';
import { createTestDatabases } from '@clinic/testing';
import { infraUp } from '@clinic/testing/infra';
import { HOSTILE_CORPUS, send } from '../../system/hardening/hostile-corpus';
import { LIFTED_LIMITS } from '../../system/test-system';

/**
 * Soak: does a long-running system stay flat? The whole system in one process, as `npm start` runs it
 * (gateway, four subgraphs, in-process bus), once on the real PostgreSQL server and once on the embedded
 * default (PGlite in a data folder), under a steady mixed load from this process for SOAK_MINUTES
 * (default 30): reads (clinics directory, an availability page, a patient's appointments, next free slot)
 * at a fixed rate, bookings each cancelled again (so slots never run out), live subscribers to slot
 * changes (a few closed and reopened as the run goes), and the hostile corpus (the costly subscription of
 * the security issue among it) one request every few seconds.
 *
 * Every SAMPLE seconds the system process reports its JS heap (after two forced collections) and RSS;
 * after warm-up (the first 20%), the slopes by least squares are its growth in MB a minute (aim: under 1).
 * CPU per request (the system process's CPU over the requests it answered) and read latency are compared
 * between the first and the last fifth of the measured time (aim: no slowdown). SOAK_SNAPSHOTS=1 also
 * takes a heap snapshot at both ends and lists the constructors whose objects grew most in between.
 */
const MINUTES = Number(process.env['SOAK_MINUTES'] ?? 30);
const READS_PER_SECOND = Number(process.env['SOAK_READS_PER_SECOND'] ?? 10);
const BOOKINGS_PER_SECOND = Number(process.env['SOAK_BOOKINGS_PER_SECOND'] ?? 0.5);
const SUBSCRIBERS = Number(process.env['SOAK_SUBSCRIBERS'] ?? 10);
const HOSTILE_EVERY_MS = Number(process.env['SOAK_HOSTILE_EVERY_MS'] ?? 3000);
const SNAPSHOTS = process.env['SOAK_SNAPSHOTS'] === '1';
const BACKENDS = (process.env['SOAK_BACKENDS'] ?? 'postgres,embedded').split(',') as Backend[];
/** Reads in flight at most; a read due while that many wait is counted as skipped (the system fell behind). */
const MAX_IN_FLIGHT = 32;

type Backend = 'postgres' | 'embedded';
type Request = { kind: 'sample' } | { kind: 'snapshot'; file: string } | { kind: 'exit' };
type Reply =
  | { kind: 'ready'; gatewayUrl: string; patients: string[] }
  | { kind: 'sample'; heap: number; rss: number; cpuMs: number }
  | { kind: 'snapshot' };

// ---- the system process -------------------------------------------------------------------------------
async function systemProcess(dataDir: string, databaseEnv: Record<string, string>): Promise<void> {
  const config = loadConfig(
    {
      ...LIFTED_LIMITS,
      LOG_LEVEL: 'silent',
      PORT: '0',
      SUBGRAPH_PORT_BASE: '0',
      EMBEDDED_DB_PORT: '0',
      // Publish no further ahead than the seed: no roll-forward runs in the measured minutes.
      AVAILABILITY_HORIZON_DAYS: String(DEFAULT_SEED.days),
      ...databaseEnv,
    },
    'all-in-one',
  );
  const system = await startSystem({
    config,
    dataDir,
    prepare: async (urls, vaultKeys) => {
      if (!(await isSeeded(urls))) await seed(urls, DEFAULT_SEED, undefined, vaultKeys);
    },
  });
  if (!system.signingKey) throw new Error('an all-in-one system has the development issuer');
  const signingKey = system.signingKey;
  const appointments = connectAppointmentsDatabase(system.databaseUrls.appointments);
  const clientIds = (
    await appointments.appointment.findMany({ distinct: ['clientId'], select: { clientId: true }, take: 10 })
  ).map((row) => row.clientId);
  await appointments.$disconnect();
  const patients = await Promise.all(
    clientIds.map((subject) => issueDevToken(signingKey, { role: 'Patient', subject }, '12h')),
  );
  v8.setFlagsFromString('--expose_gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const reply = (message: Reply) => process.send?.(message);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void system.stop().finally(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.on('message', (request: Request) => {
    if (request.kind === 'exit') return stop();
    if (request.kind === 'snapshot') {
      v8.writeHeapSnapshot(request.file);
      return reply({ kind: 'snapshot' });
    }
    gc();
    gc();
    const cpu = process.cpuUsage();
    reply({
      kind: 'sample',
      heap: process.memoryUsage().heapUsed,
      rss: process.memoryUsage.rss(),
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  });
  reply({ kind: 'ready', gatewayUrl: system.gatewayUrl, patients });
}

interface SystemHandle {
  gatewayUrl: string;
  patients: string[];
  ask(request: Request): Promise<Reply>;
  stop(): Promise<void>;
}

async function startSystemProcess(
  dataDir: string,
  databaseEnv: Record<string, string>,
): Promise<SystemHandle> {
  const child: ChildProcess = fork(__filename, ['--system', dataDir, JSON.stringify(databaseEnv)], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`the system process exited (${code ?? signal})`))),
  );
  exited.catch(() => undefined);
  const next = () => Promise.race([new Promise<Reply>((resolve) => child.once('message', resolve)), exited]);
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (request: Request): Promise<Reply> => {
    const answer = queue.then(() => {
      const reply = next();
      child.send(request);
      return reply;
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error(`the system process said ${ready.kind} first`);
  return {
    gatewayUrl: ready.gatewayUrl,
    patients: ready.patients,
    ask,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ kind: 'exit' } satisfies Request);
      await exited.catch(() => undefined);
    },
  };
}

// ---- the load ----------------------------------------------------------------------------------------
const DIRECTORY = '{ clinics { id name timeZone doctors { id name } } }';
const AVAILABILITY = `query($filter: AvailableSlotsFilter!) { availableSlots(filter: $filter, first: 20) {
  edges { node { id start doctor { name clinic { name } } } } pageInfo { hasNextPage endCursor } } }`;
const MY_APPOINTMENTS = '{ appointments(first: 20) { id start status doctor { name clinic { name } } } }';
const NEXT_FREE = 'query($doctorId: ID) { nextAvailableSlot(doctorId: $doctorId) { id start } }';
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  __typename ... on AppointmentBooked { appointment { id } } } }`;
const CANCEL = `mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }`;
const SUBSCRIPTION = `subscription($from: DateTime!, $to: DateTime!) {
  slotAvailabilityChanged(from: $from, to: $to) { slotId status occurredAt slot { start doctor { name clinic { name } } } }
}`;

interface Clinic {
  id: string;
  timeZone: string;
  doctors: { id: string }[];
}

interface Counters {
  reads: number;
  readErrors: number;
  skipped: number;
  booked: number;
  cancelled: number;
  bookingOther: number;
  bookingErrors: number;
  subscribersOpened: number;
  subscriberFailures: number;
  liveEvents: number;
  hostileRefused: number;
  hostileAccepted: number;
}

interface Sample {
  minute: number;
  heapMb: number;
  rssMb: number;
  cpuMs: number;
  /** Requests the system answered so far (reads and booking calls). */
  requests: number;
}

async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ data?: Record<string, unknown> | null; errors?: unknown[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  if (response.status !== 200 && !body.errors) body.errors = [`HTTP ${response.status}`];
  return body;
}

const day = (plus: number) => new Date(Date.now() + plus * 86_400_000).toISOString().slice(0, 10);

async function soak(backend: Backend, system: SystemHandle): Promise<void> {
  const url = system.gatewayUrl;
  const directory = await graphql(url, DIRECTORY);
  const clinics = (directory.data?.['clinics'] ?? []) as Clinic[];
  const doctors = clinics.flatMap((clinic) => clinic.doctors.map((doctor) => doctor.id));
  if (clinics.length === 0 || doctors.length === 0) throw new Error('the seeded system lists no clinics');
  const counters: Counters = {
    reads: 0,
    readErrors: 0,
    skipped: 0,
    booked: 0,
    cancelled: 0,
    bookingOther: 0,
    bookingErrors: 0,
    subscribersOpened: 0,
    subscriberFailures: 0,
    liveEvents: 0,
    hostileRefused: 0,
    hostileAccepted: 0,
  };
  const latencies: { minute: number; ms: number }[] = [];
  const started = performance.now();
  const minutes = () => (performance.now() - started) / 60_000;
  const pick = <T>(items: T[], i: number): T => items[i % items.length] as T;

  // Reads, at a fixed rate whatever the latency (an open loop: a slower system shows as latency).
  const reads: ((i: number) => Promise<unknown>)[] = [
    () => graphql(url, DIRECTORY),
    (i) => {
      const clinic = pick(clinics, i);
      return graphql(url, AVAILABILITY, {
        filter: {
          clinicId: clinic.id,
          fromDate: day(1 + (i % 7)),
          toDate: day(7 + (i % 7)),
          timeZone: clinic.timeZone,
        },
      });
    },
    (i) => graphql(url, MY_APPOINTMENTS, {}, pick(system.patients, i)),
    (i) => graphql(url, NEXT_FREE, { doctorId: pick(doctors, i) }),
  ];
  let inFlight = 0;
  let readIndex = 0;
  const readTimer = setInterval(() => {
    for (let n = 0; n < READS_PER_SECOND / 10; n++) {
      if (inFlight >= MAX_IN_FLIGHT) {
        counters.skipped++;
        continue;
      }
      const i = readIndex++;
      inFlight++;
      const sent = performance.now();
      void pick(
        reads,
        i,
      )(Math.floor(i / reads.length))
        .then((body) => {
          counters.reads++;
          if ((body as { errors?: unknown[] }).errors) counters.readErrors++;
          latencies.push({ minute: minutes(), ms: performance.now() - sent });
        })
        .catch(() => counters.readErrors++)
        .finally(() => inFlight--);
    }
  }, 100);

  // Bookings: a patient books a free slot of a doctor and cancels it again.
  let bookingIndex = 0;
  let bookingBusy = false;
  const bookOnce = async () => {
    const i = bookingIndex++;
    const token = pick(system.patients, i);
    const slots = await graphql(url, AVAILABILITY, {
      filter: { doctorId: pick(doctors, i * 7), fromDate: day(2), toDate: day(20) },
    });
    const edges = ((slots.data?.['availableSlots'] as { edges?: { node: { id: string } }[] } | undefined)
      ?.edges ?? []) as { node: { id: string } }[];
    const slot = edges[i % Math.max(edges.length, 1)];
    if (!slot) return void counters.bookingOther++;
    const booked = await graphql(
      url,
      BOOK,
      { input: { slotId: slot.node.id, idempotencyKey: randomUUID() } },
      token,
    );
    if (booked.errors) return void counters.bookingErrors++;
    const outcome = booked.data?.['bookAppointment'] as { __typename: string; appointment?: { id: string } };
    if (outcome.__typename !== 'AppointmentBooked' || !outcome.appointment)
      return void counters.bookingOther++;
    counters.booked++;
    const cancelled = await graphql(
      url,
      CANCEL,
      { input: { appointmentId: outcome.appointment.id, idempotencyKey: randomUUID() } },
      token,
    );
    const result = cancelled.data?.['cancelAppointment'] as { __typename: string } | undefined;
    if (result?.__typename === 'AppointmentCancelled') counters.cancelled++;
    else counters.bookingErrors++;
  };
  const bookingTimer = setInterval(() => {
    if (bookingBusy) return;
    bookingBusy = true;
    void bookOnce()
      .catch(() => counters.bookingErrors++)
      .finally(() => (bookingBusy = false));
  }, 1000 / BOOKINGS_PER_SECOND);

  // Live subscribers over graphql-sse, a few closed and reopened along the way.
  const subscribers = new Set<AbortController>();
  const subscribe = () => {
    const abort = new AbortController();
    subscribers.add(abort);
    counters.subscribersOpened++;
    void (async () => {
      const response = await fetch(url, {
        method: 'POST',
        signal: abort.signal,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({
          query: SUBSCRIPTION,
          variables: {
            from: new Date().toISOString(),
            to: new Date(Date.now() + 60 * 86_400_000).toISOString(),
          },
        }),
      });
      if (response.status !== 200 || !response.body)
        throw new Error(`subscription answered ${response.status}`);
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        counters.liveEvents += decoder.decode(read.value, { stream: true }).split('event: next').length - 1;
      }
    })()
      .catch((error: unknown) => {
        if (!abort.signal.aborted) counters.subscriberFailures++;
        return error;
      })
      .finally(() => subscribers.delete(abort));
  };
  for (let i = 0; i < SUBSCRIBERS; i++) subscribe();
  const churnTimer = setInterval(() => {
    const oldest = subscribers.values().next().value;
    oldest?.abort();
    subscribe();
  }, 15_000);

  // The hostile corpus, one request at a time; each must be refused as the corpus expects.
  let hostileIndex = 0;
  let hostileBusy = false;
  const hostileTimer = setInterval(() => {
    if (hostileBusy) return;
    hostileBusy = true;
    const entry = pick(HOSTILE_CORPUS, hostileIndex++);
    void send(url, entry)
      .then((answer) => {
        if (answer.status === entry.expect.status && answer.code === entry.expect.code)
          counters.hostileRefused++;
        else counters.hostileAccepted++;
      })
      .catch(() => counters.hostileRefused++)
      .finally(() => (hostileBusy = false));
  }, HOSTILE_EVERY_MS);

  // Samples, and the heap snapshots at the two ends.
  const samples: Sample[] = [];
  const sampleEveryMs = Math.min(10_000, (MINUTES * 60_000) / 36);
  const warmUp = MINUTES * 0.2;
  const snapshotDir = SNAPSHOTS ? mkdtempSync(path.join(os.tmpdir(), 'soak-snapshots-')) : null;
  const snapshots: string[] = [];
  const takeSnapshot = async (name: string) => {
    if (!snapshotDir) return;
    const file = path.join(snapshotDir, `${backend}-${name}.heapsnapshot`);
    await system.ask({ kind: 'snapshot', file });
    snapshots.push(file);
  };
  const sample = async () => {
    const reply = await system.ask({ kind: 'sample' });
    if (reply.kind !== 'sample') throw new Error(`expected a sample, got ${reply.kind}`);
    samples.push({
      minute: minutes(),
      heapMb: reply.heap / 2 ** 20,
      rssMb: reply.rss / 2 ** 20,
      cpuMs: reply.cpuMs,
      requests: counters.reads + 2 * counters.booked + counters.bookingOther + counters.bookingErrors,
    });
  };
  let snapshotTaken = false;
  while (minutes() < MINUTES) {
    await new Promise((resolve) => setTimeout(resolve, sampleEveryMs));
    await sample();
    if (!snapshotTaken && minutes() >= warmUp) {
      snapshotTaken = true;
      await takeSnapshot('start');
    }
  }
  clearInterval(readTimer);
  clearInterval(bookingTimer);
  clearInterval(hostileTimer);
  clearInterval(churnTimer);
  for (const abort of subscribers) abort.abort();
  await takeSnapshot('end');
  report(backend, counters, samples, latencies, warmUp);
  if (snapshotDir) {
    const [first, last] = snapshots;
    if (first && last) console.log(await snapshotGrowth(first, last));
    rmSync(snapshotDir, { recursive: true, force: true });
  }
}

// ---- the report ---------------------------------------------------------------------------------------
/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxy = points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function report(
  backend: Backend,
  counters: Counters,
  samples: Sample[],
  latencies: { minute: number; ms: number }[],
  warmUp: number,
): void {
  const measured = samples.filter((s) => s.minute >= warmUp);
  const end = samples.at(-1)?.minute ?? 0;
  const fifth = (end - warmUp) / 5;
  const window = (from: number, to: number) => {
    // The samples that bracket the window (a heap snapshot can hold the process for seconds between two).
    const a = measured.filter((s) => s.minute <= from).at(-1) ?? measured[0];
    const b = measured.filter((s) => s.minute <= to).at(-1);
    const cpu = a && b && b.requests > a.requests ? (b.cpuMs - a.cpuMs) / (b.requests - a.requests) : NaN;
    const ms = latencies.filter((l) => l.minute >= from && l.minute <= to).map((l) => l.ms);
    return { cpu, p50: percentile(ms, 50), p99: percentile(ms, 99) };
  };
  const first = window(warmUp, warmUp + fifth);
  const last = window(end - fifth, end);
  const heapSlope = slope(measured.map((s) => ({ x: s.minute, y: s.heapMb })));
  const rssSlope = slope(measured.map((s) => ({ x: s.minute, y: s.rssMb })));
  const flat = (value: number) => (Math.abs(value) < 1 ? 'ok' : 'OVER AIM');
  const [a, b] = [measured[0], measured.at(-1)];
  const label = backend === 'embedded' ? 'embedded default (PGlite in a data folder)' : 'real PostgreSQL';
  console.log(
    `\n${label}: ${end.toFixed(1)} min, warm-up ${warmUp.toFixed(1)} min, ${samples.length} samples`,
  );
  console.log(
    `  load: ${counters.reads} reads (${counters.readErrors} errors, ${counters.skipped} skipped), ` +
      `${counters.booked} booked and ${counters.cancelled} cancelled (${counters.bookingOther} no slot/refused, ` +
      `${counters.bookingErrors} errors), ${counters.subscribersOpened} subscribers opened ` +
      `(${counters.subscriberFailures} failed), ${counters.liveEvents} live events received, hostile: ` +
      `${counters.hostileRefused} refused as expected, ${counters.hostileAccepted} not`,
  );
  console.log(
    `  heap  ${a?.heapMb.toFixed(1)} -> ${b?.heapMb.toFixed(1)} MB, slope ${heapSlope.toFixed(2)} MB/min (${flat(heapSlope)})`,
  );
  console.log(
    `  RSS   ${a?.rssMb.toFixed(1)} -> ${b?.rssMb.toFixed(1)} MB, slope ${rssSlope.toFixed(2)} MB/min (${flat(rssSlope)})`,
  );
  console.log(
    `  CPU per request  first fifth ${first.cpu.toFixed(2)} ms, last fifth ${last.cpu.toFixed(2)} ms ` +
      `(x${(last.cpu / first.cpu).toFixed(2)})`,
  );
  console.log(
    `  read latency     first fifth p50 ${first.p50.toFixed(1)} / p99 ${first.p99.toFixed(1)} ms, ` +
      `last fifth p50 ${last.p50.toFixed(1)} / p99 ${last.p99.toFixed(1)} ms`,
  );
}

/** Objects by constructor in two heap snapshots: the twelve that grew most in number. */
async function snapshotGrowth(before: string, after: string): Promise<string> {
  const [a, b] = [await countByConstructor(before), await countByConstructor(after)];
  const rows = [...b.entries()]
    .map(([name, count]) => ({ name, count, grew: count - (a.get(name) ?? 0) }))
    .sort((x, y) => y.grew - x.grew)
    .slice(0, 12);
  return [
    '  objects that grew most between the snapshots (constructor: +count, now)',
    ...rows.map((row) => `    ${row.name.slice(0, 60).padEnd(60)} +${row.grew}  ${row.count}`),
  ].join('\n');
}

async function countByConstructor(file: string): Promise<Map<string, number>> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file)) chunks.push(chunk as Buffer);
  const snapshot = JSON.parse(Buffer.concat(chunks).toString()) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const [typeNames] = snapshot.snapshot.meta.node_types;
  const [typeAt, nameAt] = [fields.indexOf('type'), fields.indexOf('name')];
  const counts = new Map<string, number>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (typeNames[snapshot.nodes[i + typeAt] ?? 0] !== 'object') continue;
    const name = snapshot.strings[snapshot.nodes[i + nameAt] ?? 0] ?? '?';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

// ---- both backends, one after the other ---------------------------------------------------------------
async function main(): Promise<void> {
  console.log(
    `soak: ${MINUTES} min per backend; ${READS_PER_SECOND} reads/s, ${BOOKINGS_PER_SECOND} booking+cancel/s, ` +
      `${SUBSCRIBERS} live subscribers, one hostile request every ${HOSTILE_EVERY_MS} ms`,
  );
  for (const backend of BACKENDS) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `soak-${backend}-`));
    // The shared server of the tests when one is named, otherwise the one infraUp starts or finds.
    const serverUrl = async () =>
      process.env['TEST_POSTGRES_URL'] ?? (await infraUp({ log: () => undefined })).databaseUrls.appointments;
    const databases =
      backend === 'postgres' ? await createTestDatabases(DATABASE_NAMES, await serverUrl()) : null;
    const env = databases
      ? Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]))
      : {};
    const system = await startSystemProcess(dataDir, env);
    try {
      await soak(backend, system);
    } finally {
      await system.stop();
      await databases?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

// Last, so every module-level constant above is initialised before either role starts.
if (process.argv[2] === '--system')
  void systemProcess(
    process.argv[3] ?? '',
    JSON.parse(process.argv[4] ?? '{}') as Record<string, string>,
  ).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
else
  void main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
