import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import path from 'node:path';
import { deployedGatewayEnv, freePort } from './gateway-process';
import {
  HOSTILE_CORPUS,
  NORMAL_QUERY,
  send,
  type HostileRequest,
} from '../../system/hardening/hostile-corpus';
import { buildServe } from '@clinic/launcher';
import { startTestSystem, type TestSystem } from '../../system/test-system';

/**
 * What hostile traffic costs everyone else: the p99 latency of a normal query (`{ clinics { name } }`,
 * through the gateway to the doctors subgraph and its database) alone, and while a second process
 * replays the hostile corpus (deep nesting, alias bombs, fragment cycles, a 10 MB body, invalid UTF-8,
 * 1,000 batched operations, …) over several connections. Aim: under 2x. Phases alternate in rounds so
 * other load on the machine falls on both alike.
 *
 * The gateway runs as deployed: the production bundle (`dev/serve`, as in the image: NODE_ENV=production,
 * --enable-source-maps) in its own process, in front of the four subgraphs and PGlite in this one. The
 * attacker is a third process on the same two cores. Two scenarios:
 * - production limits: the gateway's defaults; the attacker comes from another address (127.0.0.2), so
 *   the per-address pacing and limits hold it to a steady trickle while the normal caller (about 16
 *   queries a second) is unaffected.
 * - limits lifted: rate limits off, so every hostile request reaches the check meant for it (the worst
 *   case for the parsers and validators), on fewer connections.
 */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SAMPLES_PER_ROUND = Number(process.env['BENCH_SAMPLES'] ?? 100);
const root = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const system = await startTestSystem();
  const outDir = mkdtempSync(path.join(root, '.data', 'bench-serve-'));
  try {
    const entrypoint = await buildServe(outDir);
    console.log(
      `normal query latency, ${ROUNDS} rounds x ${SAMPLES_PER_ROUND} samples per phase, one at a time`,
    );
    const production = await startDeployedGateway(entrypoint, system, {});
    try {
      await scenario('production limits, attacker on 8 connections', production.url, 8);
    } finally {
      await production.stop();
    }
    const lifted = await startDeployedGateway(entrypoint, system, {
      RATE_LIMIT_IP_PER_SECOND: '1000000',
      RATE_LIMIT_IP_BURST: '1000000',
      RATE_LIMIT_IP_CONCURRENT: '1000000',
      RATE_LIMIT_IP_QUEUED: '1000000',
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_SUBJECT_PER_MINUTE: '1000000',
    });
    try {
      await scenario('limits lifted, attacker on 2 connections', lifted.url, 2);
    } finally {
      await lifted.stop();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    await system.stop();
  }
}

/** The image's gateway: the bundled entrypoint with SERVICE=gateway, configured by its environment. */
async function startDeployedGateway(
  entrypoint: string,
  system: TestSystem,
  limits: Record<string, string>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', entrypoint], {
    env: {
      PATH: process.env['PATH'],
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ...(await deployedGatewayEnv(system, port)),
      ...limits,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/graphql`;
  for (const deadline = Date.now() + 30_000; ;) {
    if (child.exitCode !== null) throw new Error(`the gateway exited (${child.exitCode}) before answering`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) throw new Error('the gateway did not answer /healthz within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function scenario(name: string, url: string, connections: number): Promise<void> {
  await measure(url, 30); // warm-up: JIT, connection pools, query plans
  const alone: number[] = [];
  const underLoad: number[] = [];
  const reports: HostileReport[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    alone.push(...(await measure(url, SAMPLES_PER_ROUND)));
    const client = spawn(
      process.execPath,
      ['--import', 'tsx', __filename, '--hostile-client', url, String(connections)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const report = collectReport(client);
    await waitForLine(client, 'hostile load running');
    underLoad.push(...(await measure(url, SAMPLES_PER_ROUND)));
    client.kill('SIGTERM');
    reports.push(await report);
  }
  const row = (label: string, samples: number[]) =>
    `  ${label.padEnd(20)} p50 ${percentile(samples, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(
      samples,
      99,
    )
      .toFixed(1)
      .padStart(7)} ms`;
  const byStatus: Record<string, number> = {};
  for (const report of reports)
    for (const [status, count] of Object.entries(report.byStatus))
      byStatus[status] = (byStatus[status] ?? 0) + count;
  const perSecond = reports.reduce((sum, report) => sum + report.perSecond, 0) / reports.length;
  console.log(`\n${name}`);
  console.log(row('alone', alone));
  console.log(row('under hostile load', underLoad));
  console.log(
    `  p99 ratio (under load / alone): ${(percentile(underLoad, 99) / percentile(alone, 99)).toFixed(2)}x (aim: under 2x)`,
  );
  console.log(
    `  hostile requests answered: ${perSecond.toFixed(0)}/s, by status ${JSON.stringify(byStatus)}`,
  );
  const accepted = reports.reduce((sum, report) => sum + report.accepted, 0);
  console.log(`  attacker cpu share: ${reports.map((r) => r.cpuShare.toFixed(2)).join(' ')}`);
  if (accepted > 0) console.log(`  WARNING: ${accepted} hostile requests were not refused`);
}

/**
 * A normal caller: one query at a time, started every PACE_MS (about 16 a second, within the per-address
 * limits a real user stays under), each timed from send to answer.
 */
const PACE_MS = 60;
async function measure(url: string, samples: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const response = await send(url, NORMAL_QUERY);
    const elapsed = performance.now() - started;
    latencies.push(elapsed);
    if (response.status !== 200)
      throw new Error(`normal query answered ${response.status}: ${response.body}`);
    if (elapsed < PACE_MS) await new Promise((resolve) => setTimeout(resolve, PACE_MS - elapsed));
  }
  return latencies;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface HostileReport {
  total: number;
  perSecond: number;
  byStatus: Record<string, number>;
  accepted: number;
  cpuShare: number;
}

/** The second process: cycles through the corpus from its own address until told to stop. */
async function hostileClient(url: string, connections: number): Promise<void> {
  const agent = new Agent({ keepAlive: true });
  const byStatus: Record<string, number> = {};
  let total = 0;
  let accepted = 0;
  let running = true;
  const started = performance.now();
  process.on('SIGTERM', () => {
    running = false;
  });
  const loop = async (offset: number) => {
    for (let i = offset; running; i++) {
      const entry = HOSTILE_CORPUS[i % HOSTILE_CORPUS.length];
      if (!entry) continue;
      const status = await sendFrom(url, entry, agent);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      // A subscription refused over SSE is answered on a 200 stream: expected, not accepted.
      if (status > 0 && status < 400 && status !== entry.expect.status) accepted++;
      total++;
      if (total === connections * 2) console.log('hostile load running');
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage();
  console.log(
    JSON.stringify({
      total,
      perSecond: total / seconds,
      byStatus,
      accepted,
      cpuShare: (cpu.user + cpu.system) / 1e6 / seconds,
    }),
  );
  process.exit(0);
}

// Serialised once: the attacker's own CPU is shared with the server on this machine.
const encoded = new Map<HostileRequest, Buffer>();

/** node:http rather than fetch, to send from 127.0.0.2; status 0 when the server cut the upload short. */
function sendFrom(url: string, entry: HostileRequest, agent: Agent): Promise<number> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(entry.search ?? {})) target.searchParams.set(name, value);
  const method = entry.method ?? 'POST';
  let body = method === 'GET' ? undefined : encoded.get(entry);
  if (method !== 'GET' && !body) {
    body = entry.body instanceof Buffer ? entry.body : Buffer.from(JSON.stringify(entry.body));
    encoded.set(entry, body);
  }
  return new Promise((resolve) => {
    const request = httpRequest(
      target,
      {
        method,
        agent,
        localAddress: '127.0.0.2',
        headers:
          method === 'GET' ? { ...entry.headers } : { 'content-type': 'application/json', ...entry.headers },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes(line)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`hostile client exited early (${code})`)));
  });
}

function collectReport(child: ChildProcess): Promise<HostileReport> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', () => {
      const last = output.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last) as HostileReport);
      } catch {
        reject(new Error(`no report from the hostile client: ${output}`));
      }
    });
  });
}

// Last, so every module-level constant above is initialised before either role starts.
if (process.argv[2] === '--hostile-client')
  void hostileClient(process.argv[3] ?? '', Number(process.argv[4] ?? 4));
else
  void main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
