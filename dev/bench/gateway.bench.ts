import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { SUBGRAPH_NAMES, type SubgraphName } from '@clinic/contracts';
import { sortedJson } from '../../gateway/src/response-cache/variables-json';
import { listening, runPod, startPodSystem, type PodSystem } from '../../launcher/src/testing/pods';
import { buildPeerGateways } from './gateway/build-peers';
import { routedSupergraph } from './gateway/peer-identity';
import { installPeers, PEERS_DIR, rustPlannerUnavailable } from './gateway/peers';
import { cpuMs } from './gateway/proc-cpu';
import { freePort } from './gateway-process';

/**
 * What our gateway costs next to others: the project's gateway (as the image runs it), a stock
 * @apollo/gateway + @apollo/server, Hive Gateway, and Hive Gateway with its Rust query planner, each in a
 * process of its own in front of the same subgraph processes (the image's `serve`, on real PostgreSQL and
 * Kafka, seeded), sent the same queries. Each gateway's answers are first checked to carry the same
 * `data`. Then, round after round, each gateway gets REQUESTS requests of each query, CONCURRENCY at a
 * time, the gateways taking turns every STRETCH requests; CPU time comes from /proc/<pid>/stat of the
 * gateway and of the subgraph processes, so the machine's other load is not counted, only shared. Medians
 * over the rounds, and ratios to stock, are what to compare: absolute numbers depend on the machine.
 */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 1000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 4);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 200);
// Requests a gateway gets before the next one takes its turn.
const STRETCH = Number(process.env['BENCH_STRETCH'] ?? 100);
// BENCH_GATEWAYS=project,stock: only those columns.
const ONLY = process.env['BENCH_GATEWAYS']?.split(',').filter(Boolean);
const root = path.resolve(__dirname, '..', '..');

interface RunningGateway {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

interface BenchContext {
  system: PodSystem;
  /** One more process of the project's gateway, as the image runs it, with `env` added. */
  project(env: Record<string, string>): Promise<RunningGateway>;
  /** The same from another build of the image's bundle (`serve.js`, e.g. of an earlier commit). */
  projectBundle(entrypoint: string, env: Record<string, string>): Promise<RunningGateway>;
  /** A peer gateway's bundle (build-peers.ts) in a process of its own, with `env` added. */
  peer(kind: 'stock' | 'hive', env: Record<string, string>): Promise<RunningGateway>;
}

interface GatewaySpec {
  name: string;
  /** Why it cannot run here, or null. */
  unavailable?: () => string | null;
  start(context: BenchContext): Promise<RunningGateway>;
}

/**
 * The columns, in one place. The project's gateway is measured with its response cache off (the launcher's
 * GATEWAY_RESPONSE_CACHE; unknown variables are ignored where it does not exist yet); a cached column is
 * one more entry: `{ name: 'project (cached)', start: (c) => c.project({ GATEWAY_RESPONSE_CACHE: 'on' }) }`.
 */
const GATEWAYS: GatewaySpec[] = [
  { name: 'project', start: (c) => c.project({ GATEWAY_RESPONSE_CACHE: 'off' }) },
  // BENCH_PROJECT_BUNDLE=<serve.js>: the project's gateway from another build too, side by side (a bundle
  // built by launcher/src/build.ts from an earlier commit, in a folder under .data/ as the harness's).
  ...(process.env['BENCH_PROJECT_BUNDLE']
    ? [
        {
          name: process.env['BENCH_PROJECT_BUNDLE_NAME'] ?? 'project (other build)',
          start: (c: BenchContext) =>
            c.projectBundle(process.env['BENCH_PROJECT_BUNDLE'] ?? '', { GATEWAY_RESPONSE_CACHE: 'off' }),
        },
      ]
    : []),
  { name: 'stock', start: (c) => c.peer('stock', {}) },
  { name: 'hive', start: (c) => c.peer('hive', {}) },
  {
    name: 'hive+rust',
    unavailable: rustPlannerUnavailable,
    start: (c) => c.peer('hive', { HIVE_PLANNER: 'rust' }),
  },
];
const BASELINE = 'stock';

interface Query {
  name: string;
  /** The i-th request's body and token. */
  request(i: number): { body: string; token?: string };
}

/**
 * The flags the image's ENTRYPOINT gives node (e.g. --enable-source-maps), so pods run as deployed;
 * BENCH_NODE_FLAGS instead, when set (empty: none), to see what a flag costs.
 */
function imageNodeFlags(): string[] {
  const override = process.env['BENCH_NODE_FLAGS'];
  if (override !== undefined) return override.split(' ').filter(Boolean);
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(
    readFileSync(path.join(root, 'Dockerfile'), 'utf8'),
  )?.[1];
  if (!entrypoint) throw new Error('no ENTRYPOINT in the Dockerfile');
  return (JSON.parse(entrypoint) as string[]).filter((word) => word.startsWith('--'));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

async function post(url: string, request: { body: string; token?: string }): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
    },
    body: request.body,
  });
}

async function queries(system: PodSystem): Promise<Query[]> {
  const db = new Client({ connectionString: system.databaseUrls.appointments });
  await db.connect();
  try {
    // Days with free slots at each clinic, from tomorrow on (nothing there has started yet).
    const days = await db.query<{ clinicId: string; day: string }>(
      `SELECT DISTINCT clinic_id AS "clinicId", to_char(start AT TIME ZONE 'Australia/Sydney', 'YYYY-MM-DD') AS day
         FROM slot WHERE status = 'free' AND start > now() + interval '1 day' ORDER BY 1, 2 LIMIT 200`,
    );
    const patients = await db.query<{ clientId: string }>(
      `SELECT DISTINCT client_id AS "clientId" FROM appointment ORDER BY 1 LIMIT 20`,
    );
    if (days.rows.length === 0 || patients.rows.length === 0)
      throw new Error('the seed left no slots or appointments');
    const tokens = await Promise.all(
      patients.rows.map((row) => system.token({ role: 'Patient', subject: row.clientId })),
    );
    const availability = `query AvailabilityPage($filter: AvailableSlotsFilter!) {
      availableSlots(filter: $filter, first: 20) {
        edges { node { id start end doctor { id name specialty clinic { id name suburb } } } }
        pageInfo { hasNextPage endCursor } } }`;
    const clinics = `query ClinicsDirectory { clinics { id name suburb state timeZone doctors { id name specialty } } }`;
    const appointments = `query MyAppointments { appointments(first: 10) {
      id status start end clientId slot { start status } doctor { name clinic { name timeZone } }
      patient { clientId } history { action occurredAt } } }`;
    return [
      {
        name: 'availability page',
        request: (i) => {
          const at = days.rows[i % days.rows.length] as { clinicId: string; day: string };
          const filter = {
            clinicId: at.clinicId,
            fromDate: at.day,
            toDate: at.day,
            timeZone: 'Australia/Sydney',
          };
          return { body: JSON.stringify({ query: availability, variables: { filter } }) };
        },
      },
      { name: 'clinics directory', request: () => ({ body: JSON.stringify({ query: clinics }) }) },
      {
        name: "patient's appointments",
        request: (i) => ({
          body: JSON.stringify({ query: appointments }),
          token: tokens[i % tokens.length] as string,
        }),
      },
    ];
  } finally {
    await db.end();
  }
}

/**
 * Every gateway answers the same `data` (and no errors) to the first requests of every query, sent to it
 * all at once: a gateway that shared one caller's answer with another would differ here. A gateway that
 * says SERVICE_UNAVAILABLE (a subgraph past its deadline on a busy machine) is asked again, twice at most.
 */
async function checkSameData(gateways: [string, RunningGateway][], all: Query[]): Promise<void> {
  const dataOf = async (name: string, gateway: RunningGateway, query: Query, i: number): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      const response = await post(gateway.url, query.request(i));
      const body = (await response.json()) as {
        data?: unknown;
        errors?: { extensions?: { code?: unknown } }[];
      };
      // Keys sorted: two gateways' equal data compare equal whatever their key order.
      if (response.status === 200 && !body.errors) return sortedJson(body.data) ?? '';
      const retryable = body.errors?.every((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE');
      if (!retryable || attempt === 3)
        throw new Error(
          `${name} answered ${response.status} to ${query.name}: ${JSON.stringify(body.errors)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  for (const query of all) {
    const answers: (readonly [string, string[]])[] = [];
    for (const [name, gateway] of gateways)
      answers.push([
        name,
        await Promise.all(Array.from({ length: 20 }, (_, i) => dataOf(name, gateway, query, i))),
      ]);
    const [first, expected] = answers[0] ?? ['', []];
    for (const [i, data] of expected.entries())
      if (data.length < 20) throw new Error(`${query.name} #${i}: too little data to compare (${data})`);
    for (const [name, data] of answers)
      for (const [i, one] of data.entries())
        if (one !== expected[i])
          throw new Error(
            `${query.name} #${i}: ${name}'s data differs from ${first}'s:\n${one}\n${expected[i]}`,
          );
  }
}

interface Sample {
  gatewayCpuMs: number;
  subgraphCpuMs: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** HTTP requests the subgraphs served per request (their /metrics): what each gateway's plans cost them. */
  subgraphRequests: number;
  /** Answers with GraphQL errors (a gateway failing fast is cheap, so such a sample measures nothing). */
  withErrors: number;
}

/** GraphQL requests the subgraphs have served so far, from their metrics. */
async function servedBySubgraphs(metricsPorts: number[]): Promise<number> {
  let served = 0;
  for (const port of metricsPorts) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of text.split('\n'))
      if (
        line.startsWith('http_server_request_duration_seconds_count') &&
        line.includes('http_route="/graphql"')
      )
        served += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return served;
}

interface Subgraphs {
  pids: number[];
  metricsPorts: number[];
}

/** What one gateway did in a stretch of requests, summed over the stretches of a round. */
interface Tally {
  count: number;
  gatewayCpuMs: number;
  subgraphCpuMs: number;
  served: number;
  elapsedMs: number;
  times: number[];
  non2xx: number;
  withErrors: number;
}

const emptyTally = (): Tally => ({
  count: 0,
  gatewayCpuMs: 0,
  subgraphCpuMs: 0,
  served: 0,
  elapsedMs: 0,
  times: [],
  non2xx: 0,
  withErrors: 0,
});

/** `count` requests of `query`, CONCURRENCY at a time, to one gateway, added to `tally`. */
async function measure(
  gateway: RunningGateway,
  subgraphs: Subgraphs,
  query: Query,
  offset: number,
  count: number,
  tally: Tally = emptyTally(),
): Promise<Tally> {
  let next = 0;
  const servedBefore = await servedBySubgraphs(subgraphs.metricsPorts);
  const gatewayBefore = cpuMs(gateway.pid);
  const subgraphsBefore = subgraphs.pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = offset + next++;
        const sent = performance.now();
        const response = await post(gateway.url, query.request(i));
        const text = await response.text();
        tally.times.push(performance.now() - sent);
        if (response.status < 200 || response.status > 299) tally.non2xx++;
        else if (text.includes('"errors"')) tally.withErrors++;
      }
    }),
  );
  tally.elapsedMs += performance.now() - started;
  tally.gatewayCpuMs += cpuMs(gateway.pid) - gatewayBefore;
  tally.subgraphCpuMs += subgraphs.pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - subgraphsBefore;
  tally.served += (await servedBySubgraphs(subgraphs.metricsPorts)) - servedBefore;
  tally.count += count;
  return tally;
}

function sampleOf(tally: Tally): Sample {
  const sorted = [...tally.times].sort((a, b) => a - b);
  return {
    gatewayCpuMs: tally.gatewayCpuMs / tally.count,
    subgraphCpuMs: tally.subgraphCpuMs / tally.count,
    subgraphRequests: tally.served / tally.count,
    rps: (tally.count / tally.elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    non2xx: tally.non2xx,
    withErrors: tally.withErrors,
  };
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const specs = GATEWAYS.filter((spec) => !ONLY || ONLY.includes(spec.name));
  await installPeers(log);
  const skipped: Record<string, string> = {};
  for (const spec of specs) {
    const reason = spec.unavailable?.();
    if (reason) skipped[spec.name] = reason;
  }
  for (const [name, reason] of Object.entries(skipped)) log(`skipping ${name}: ${reason}`);
  const nodeFlags = imageNodeFlags();
  log(
    `starting the subgraphs as the image runs them (node ${nodeFlags.join(' ')}) on PostgreSQL and Kafka, seeding…`,
  );
  const system = await startPodSystem({
    seed: {
      clinics: Number(process.env['BENCH_CLINICS'] ?? 10),
      doctors: Number(process.env['BENCH_DOCTORS'] ?? 40),
      patients: 50,
      appointments: 400,
      days: 14,
    },
    env: { NODE_OPTIONS: nodeFlags.join(' ') },
  });
  const peers = await buildPeerGateways();
  const running: [string, RunningGateway][] = [];
  try {
    const subgraphUrls = Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, `http://127.0.0.1:${system.pods[name].port}/graphql`]),
    ) as Record<SubgraphName, string>;
    const supergraphFile = path.join(path.dirname(peers.files.stock), 'supergraph.graphql');
    writeFileSync(
      supergraphFile,
      routedSupergraph(readFileSync(path.join(root, 'schema', 'supergraph.graphql'), 'utf8'), subgraphUrls),
    );
    const secret = system.envFor('gateway')['INTERNAL_IDENTITY_SECRET'] ?? '';
    const context: BenchContext = {
      system,
      project: async (env) => {
        const pod = await system.startPod('gateway', env);
        return {
          url: `http://127.0.0.1:${pod.port}/graphql`,
          pid: pod.child.pid ?? 0,
          stop: async () => void (await pod.stop()),
        };
      },
      projectBundle: async (entrypoint, env) => {
        const pod = await listening(runPod(entrypoint, 'gateway', { ...system.envFor('gateway'), ...env }));
        return {
          url: `http://127.0.0.1:${pod.port}/graphql`,
          pid: pod.child.pid ?? 0,
          stop: async () => void (await pod.stop()),
        };
      },
      peer: async (kind, env) => {
        const port = await freePort();
        // As the image's node: no tsx, and the same flags the project's gateway gets.
        const child = spawn(process.execPath, [...nodeFlags, peers.files[kind]], {
          env: {
            PATH: process.env['PATH'],
            NODE_ENV: 'production',
            BENCH_PEERS_DIR: PEERS_DIR,
            SUPERGRAPH_FILE: supergraphFile,
            INTERNAL_IDENTITY_SECRET: secret,
            PORT: String(port),
            ...env,
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        await new Promise<void>((resolve, reject) => {
          let output = '';
          child.stdout?.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes('listening')) resolve();
          });
          child.once('exit', (code) =>
            reject(new Error(`the ${kind} gateway exited (${code}) before listening`)),
          );
        });
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        return {
          url: `http://127.0.0.1:${port}/graphql`,
          pid: child.pid ?? 0,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            // A gateway that does not stop in 5 s is killed: nothing of it is measured any more.
            const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(killer);
          },
        };
      },
    };
    for (const spec of specs) {
      if (skipped[spec.name]) continue;
      running.push([spec.name, await spec.start(context)]);
    }
    const all = await queries(system);
    await checkSameData(running, all);
    log(`every gateway answers the same data (${running.map(([name]) => name).join(', ')})`);
    const subgraphs: Subgraphs = {
      pids: SUBGRAPH_NAMES.map((name) => system.pods[name].child.pid ?? 0),
      metricsPorts: SUBGRAPH_NAMES.map((name) => system.pods[name].metricsPort),
    };
    // Warm-up: plans cached, code optimised, connections open.
    for (const query of all)
      for (const [, gateway] of running) await measure(gateway, subgraphs, query, 0, WARMUP);
    const samples: Record<string, Record<string, Sample[]>> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const query of all) {
        // The gateways take turns every STRETCH requests, each turn starting with another one, so the
        // load of the machine (shared, and busy at times) falls on all of them alike.
        const tallies = running.map(() => emptyTally());
        for (let done = 0, turn = 0; done < REQUESTS; done += STRETCH, turn++) {
          const count = Math.min(STRETCH, REQUESTS - done);
          for (let k = 0; k < running.length; k++) {
            const index = (round + turn + k) % running.length;
            const [, gateway] = running[index] as [string, RunningGateway];
            await measure(gateway, subgraphs, query, round * REQUESTS + done, count, tallies[index]);
          }
        }
        for (const [index, [name]] of running.entries())
          ((samples[query.name] ??= {})[name] ??= []).push(sampleOf(tallies[index] as Tally));
      }
      log(`round ${round + 1} of ${ROUNDS} done`);
    }
    report(samples, skipped, nodeFlags);
  } finally {
    for (const [, gateway] of running) await gateway.stop();
    await system.stop();
    peers.dispose();
  }
}

function report(
  samples: Record<string, Record<string, Sample[]>>,
  skipped: Record<string, string>,
  nodeFlags: string[],
): void {
  const results: Record<string, Record<string, Sample>> = {};
  for (const [query, byGateway] of Object.entries(samples)) {
    results[query] = {};
    for (const [name, list] of Object.entries(byGateway)) {
      const of = (key: keyof Sample) => median(list.map((sample) => sample[key]));
      results[query][name] = {
        gatewayCpuMs: of('gatewayCpuMs'),
        subgraphCpuMs: of('subgraphCpuMs'),
        subgraphRequests: of('subgraphRequests'),
        rps: of('rps'),
        p50: of('p50'),
        p99: of('p99'),
        non2xx: list.reduce((sum, sample) => sum + sample.non2xx, 0),
        withErrors: list.reduce((sum, sample) => sum + sample.withErrors, 0),
      };
    }
  }
  console.log(
    `\ngateways over the same subgraph processes: median of ${ROUNDS} rounds x ${REQUESTS} requests, ${CONCURRENCY} at a time; CPU ms per request from /proc/<pid>/stat; ratios to ${BASELINE}`,
  );
  console.log(
    'query                    gateway      gw CPU ms  subgraphs ms  sg reqs      RPS   p50 ms   p99 ms  non-2xx  errors  CPU/stock  p99/stock',
  );
  for (const [query, byGateway] of Object.entries(results)) {
    const base = byGateway[BASELINE];
    for (const [name, r] of Object.entries(byGateway)) {
      console.log(
        [
          query.padEnd(24),
          name.padEnd(11),
          r.gatewayCpuMs.toFixed(2).padStart(10),
          r.subgraphCpuMs.toFixed(2).padStart(13),
          r.subgraphRequests.toFixed(2).padStart(8),
          r.rps.toFixed(0).padStart(8),
          r.p50.toFixed(1).padStart(8),
          r.p99.toFixed(1).padStart(8),
          String(r.non2xx).padStart(8),
          String(r.withErrors).padStart(7),
          (base ? `${(r.gatewayCpuMs / base.gatewayCpuMs).toFixed(2)}x` : '-').padStart(10),
          (base ? `${(r.p99 / base.p99).toFixed(2)}x` : '-').padStart(10),
        ].join(' '),
      );
    }
  }
  for (const [name, reason] of Object.entries(skipped)) console.log(`${name}: not measured: ${reason}`);
  const dir = path.join(root, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `gateway-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        rounds: ROUNDS,
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        nodeFlags,
        baseline: BASELINE,
        skipped,
        results,
        samples,
      },
      null,
      2,
    ),
  );
  console.log(`written to ${path.relative(root, file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
