import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { SUBGRAPH_NAMES, type Identity, type SubgraphName } from '@clinic/contracts';
import { book, planBookings } from '../../launcher/src/testing/bookings';
import { startPodSystem, type PodSystem } from '../../launcher/src/testing/pods';

/**
 * CPU the subgraphs spend per request, through the gateway, with every service its own process (the
 * production bundle) on real PostgreSQL and Kafka: each subgraph's utime + stime from /proc/<pid>/stat
 * before and after N sequential requests of one query, divided by N. Rounds alternate the queries so
 * other load on the machine falls on all alike; the median round is reported. What each process spends
 * idle (relays, heartbeats) is measured first and taken off for the time each case ran. Numbers only:
 * CPU time on a shared machine is too noisy to assert.
 *
 * BENCH_REQUESTS (default 300) per query per round, BENCH_ROUNDS (default 5); BENCH_ONLY=<word> runs only
 * the queries whose names contain it (e.g. availability); BENCH_WARMUP (default 200) requests per query
 * before measuring (the first rounds still fall as the JIT settles: 1,500 gives steadier figures).
 * BENCH_CPU_PROFILE=<dir> writes each subgraph's V8 CPU profile there when it stops (--cpu-prof is
 * refused in NODE_OPTIONS, so a preload starts the profiler through the inspector).
 * BENCH_SUBGRAPH_NODE_OPTIONS=<flags> gives the subgraph processes those NODE_OPTIONS (e.g. a V8 heap
 * flag, to measure it before the image takes it). BENCH_RESPONSE_CACHE=entities: the gateway keeps the
 * doctors' entities while its answers still miss (the response cache on, its answers expiring at once).
 * It keeps them once the gateway's consumers have joined (well within the warm-up).
 */
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 300);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const PROFILE_DIR = process.env['BENCH_CPU_PROFILE'];
const ONLY = process.env['BENCH_ONLY'];
const NODE_FLAGS = process.env['BENCH_SUBGRAPH_NODE_OPTIONS'] ?? '';
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 200);
// `entities`: the gateway keeps the doctors' entities (entity-cache.ts) while every answer still misses
// its response cache (answers expire at once), as pages of distinct searches would.
const ENTITIES = process.env['BENCH_RESPONSE_CACHE'] === 'entities';

const AVAILABILITY = `query($f: AvailableSlotsFilter!) { availableSlots(filter: $f, first: 20) {
  edges { node { id start end status doctor { id name specialty clinic { id name suburb timeZone } } } }
  pageInfo { hasNextPage endCursor } } }`;
const CLINICS = `{ clinics { id name suburb state timeZone doctors { id name specialty } } }`;
const MY_APPOINTMENTS = `{ appointments(first: 20) { id status start end doctor { name clinic { name } }
  patient { clientId preferredChannel profile { givenName familyName } }
  history { id action occurredAt actorRole } } }`;

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  identity?: Identity;
}

const IDLE_MS = 5_000;
const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux (getconf CLK_TCK)

/** utime + stime of a process so far, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** A preload that profiles the process from its start and writes the profile when it exits. */
function profilerPreload(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'profile-preload.cjs');
  writeFileSync(
    file,
    `const inspector = require('node:inspector');
const fs = require('node:fs');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 200 });
session.post('Profiler.start');
process.on('exit', () => {
  // The same-thread session answers synchronously, so this runs to the end inside 'exit'.
  session.post('Profiler.stop', (error, result) => {
    if (!error) fs.writeFileSync(${JSON.stringify(dir)} + '/' + process.env.SERVICE + '-' + process.pid + '.cpuprofile', JSON.stringify(result.profile));
  });
});
`,
  );
  return file;
}

async function main(): Promise<void> {
  const preload = PROFILE_DIR ? profilerPreload(path.resolve(PROFILE_DIR)) : null;
  const system = await startPodSystem({
    seed: { clinics: 3, doctors: 6, patients: 5, appointments: 100, days: 14 },
    env: { LOG_LEVEL: 'info' },
    serviceEnv: {
      ...Object.fromEntries(
        SUBGRAPH_NAMES.map((name) => {
          const flags = [NODE_FLAGS, preload && `--require ${preload}`].filter(Boolean).join(' ');
          return [name, flags ? { NODE_OPTIONS: flags } : {}];
        }),
      ),
      // Every request must reach the subgraphs: the response cache would answer the repeats itself.
      gateway: ENTITIES
        ? { GATEWAY_RESPONSE_CACHE: 'on', GATEWAY_RESPONSE_CACHE_TTL_MS: '1' }
        : { GATEWAY_RESPONSE_CACHE: 'off' },
    },
  });
  try {
    const cases = (await prepare(system)).filter((item) => !ONLY || item.name.includes(ONLY));
    console.log(
      `subgraph CPU per request through the gateway, ${REQUESTS} sequential requests per query per round, ` +
        `${ROUNDS} rounds (median round), ms from /proc/<pid>/stat utime+stime less idle`,
    );
    for (const item of cases) await run(system, item, WARMUP); // warm-up: JIT, pools, query plans
    // What each process spends with no requests at all (outbox relays, consumers' heartbeats, timers),
    // per ms of wall time: subtracted from each case for the time it ran, so a slow case is not charged it.
    const idle = await idleRate(system);
    console.log(
      `idle CPU, ms per s: ${Object.entries(idle)
        .map(([name, rate]) => `${name} ${(rate * 1000).toFixed(1)}`)
        .join(', ')}`,
    );
    const samples = new Map<string, Record<SubgraphName | 'gateway', number>[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const item of cases) {
        const pids = { ...pidsOf(system) };
        const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
        const started = performance.now();
        await run(system, item, REQUESTS);
        const elapsed = performance.now() - started;
        const spent = Object.fromEntries(
          Object.entries(pids).map(([name, pid]) => [
            name,
            (cpuMs(pid) - (before[name] ?? 0) - (idle[name] ?? 0) * elapsed) / REQUESTS,
          ]),
        ) as Record<SubgraphName | 'gateway', number>;
        samples.set(item.name, [...(samples.get(item.name) ?? []), spent]);
      }
    }
    const columns = [...SUBGRAPH_NAMES, 'subgraphs', 'gateway'] as const;
    console.log(`\n${'query'.padEnd(28)}${columns.map((column) => column.padStart(13)).join('')}`);
    for (const item of cases) {
      const rounds = samples.get(item.name) ?? [];
      const subgraphs = rounds.map((round) => SUBGRAPH_NAMES.reduce((sum, name) => sum + round[name], 0));
      const cells = columns.map((column) =>
        (column === 'subgraphs' ? median(subgraphs) : median(rounds.map((round) => round[column]))).toFixed(
          2,
        ),
      );
      console.log(`${item.name.padEnd(28)}${cells.map((cell) => cell.padStart(13)).join('')}`);
      console.log(
        `${''.padEnd(28)}subgraphs per round: ${subgraphs.map((value) => value.toFixed(2)).join(' ')}`,
      );
    }
    console.log('aim: the subgraphs CPU per availability page halved (issue baseline 4.5-4.9 ms)');
  } finally {
    await system.stop();
  }
  if (PROFILE_DIR) console.log(`CPU profiles in ${path.resolve(PROFILE_DIR)}`);
}

const pidsOf = (system: PodSystem) =>
  Object.fromEntries(
    [...SUBGRAPH_NAMES, 'gateway' as const].map((name) => [name, system.pods[name].child.pid ?? 0]),
  );

/** CPU ms per wall-clock ms each process spends while no request comes. */
async function idleRate(system: PodSystem): Promise<Record<string, number>> {
  const pids = pidsOf(system);
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const elapsed = performance.now() - started;
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, (cpuMs(pid) - (before[name] ?? 0)) / elapsed]),
  );
}

async function run(system: PodSystem, item: Case, count: number): Promise<void> {
  const token = item.identity ? await system.token(item.identity) : null;
  for (let i = 0; i < count; i++) {
    const { body } = await system.graphql(item.query, {
      variables: item.variables ?? {},
      ...(token ? { token } : {}),
    });
    if (body.errors) throw new Error(`${item.name}: ${JSON.stringify(body.errors)}`);
  }
}

/** The three queries, on data that makes each one do its whole work (20 slots, 20 appointments with history). */
async function prepare(system: PodSystem): Promise<Case[]> {
  const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
  try {
    // A few bookings through the gateway, so the audit subgraph has history to resolve.
    const patients = await db.appointment.groupBy({ by: ['clientId'], _count: true });
    const bookings = await planBookings(db, patients.length * 3, 'bench');
    for (const booking of bookings) {
      const answer = await book(system.gatewayUrl, booking, (identity) => system.token(identity));
      if (answer.kind !== 'booked') throw new Error(`booking failed: ${JSON.stringify(answer)}`);
    }
    const patient = (bookings[0] ?? { clientId: '' }).clientId;
    const from = (await db.slot.findFirst({ where: { status: 'free' }, orderBy: { start: 'asc' } }))?.start;
    if (!from) throw new Error('no free slot seeded');
    const day = (date: Date, plus = 0) =>
      new Date(date.getTime() + plus * 86_400_000).toISOString().slice(0, 10);
    const patientCase: Case = {
      name: "a patient's appointments",
      query: MY_APPOINTMENTS,
      identity: { role: 'Patient', subject: patient },
    };
    // History is written by the audit consumer: wait until the patient's page shows it.
    for (const deadline = Date.now() + 60_000; ;) {
      const token = await system.token({ role: 'Patient', subject: patient });
      const { body } = await system.graphql(MY_APPOINTMENTS, { token });
      const page = (body.data?.['appointments'] ?? []) as { history: unknown[] }[];
      if (page.length === 20 && page.some((row) => row.history.length > 0)) break;
      if (Date.now() > deadline)
        throw new Error(`the patient's page never showed history: ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return [
      {
        name: 'availability page (20)',
        query: AVAILABILITY,
        variables: { f: { fromDate: day(from), toDate: day(from, 6), timeZone: 'Australia/Sydney' } },
      },
      { name: 'clinics directory', query: CLINICS },
      patientCase,
    ];
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
