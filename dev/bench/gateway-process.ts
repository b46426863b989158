import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { exportSPKI } from 'jose';
import { SUBGRAPH_NAMES } from '@clinic/contracts';
import { loadConfig, startSystem } from '@clinic/launcher';
import { startTracing } from '@clinic/platform';
import type { TestSystem } from '../../system/test-system';

/**
 * A gateway with live subscriptions in a process of its own, as deployed (the subgraphs run elsewhere),
 * for benches that measure the gateway alone: its memory, its event loop. It starts as the image does
 * (`serve` with SERVICE=gateway, configured by its environment); the bench process talks to it over IPC
 * for what only the process itself can tell: its memory after forced collections, and its live hub's
 * counters.
 */
type Request =
  | { kind: 'memory' }
  | { kind: 'cpu' }
  | { kind: 'resolutions' }
  | { kind: 'share'; on: boolean }
  | { kind: 'exit' };
type Reply =
  | { kind: 'ready' }
  | { kind: 'memory'; rss: number; heap: number }
  | { kind: 'cpu'; micros: number }
  | { kind: 'resolutions'; count: number }
  | { kind: 'done' };

export interface GatewayProcess {
  url: string;
  /** RSS and heap (used + external) after two forced collections. */
  memory(): Promise<{ rss: number; heap: number }>;
  /** CPU time (user and system, microseconds) the process has used so far. */
  cpu(): Promise<number>;
  /** Resolutions the live hub has run so far. */
  resolutions(): Promise<number>;
  /** Whether new subscribers asking the same thing share one resolution per event. */
  share(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What the deployed gateway is configured with to front `system`'s subgraphs on `port` (SERVICE=gateway,
 * see launcher/src/config/config.ts); Kafka, limits and mode are the caller's to add.
 */
export async function deployedGatewayEnv(system: TestSystem, port: number): Promise<Record<string, string>> {
  return {
    SERVICE: 'gateway',
    SCHEMA_DIR: path.resolve(__dirname, '../../schema'),
    LISTEN_HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: '0',
    JWT_PUBLIC_KEY: await exportSPKI(system.signingKey.publicKey),
    INTERNAL_IDENTITY_SECRET: system.internalIdentitySecret,
    ...Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [`SUBGRAPH_URL_${name.toUpperCase()}`, system.subgraphUrls[name]]),
    ),
  };
}

/** A port nothing listens on now, for a child process to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Starts the gateway process in front of `system`'s subgraphs; `env` adds Kafka, limits and the like. */
export async function startGatewayProcess(
  system: TestSystem,
  env: Record<string, string>,
): Promise<GatewayProcess> {
  const port = await freePort();
  const child = fork(__filename, ['--gateway'], {
    // BENCH_NODE_ARGS in `env`: flags for this process only (e.g. --cpu-prof, which NODE_OPTIONS refuses).
    execArgv: ['--import', 'tsx', ...(env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, ...(await deployedGatewayEnv(system, port)), ...env },
    stdio: 'inherit',
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(
        new Error(`the gateway process exited (${code === null ? `signal ${signal}` : `code ${code}`})`),
      ),
    ),
  );
  exited.catch(() => undefined);
  const next = () => Promise.race([new Promise<Reply>((resolve) => child.once('message', resolve)), exited]);
  // One request at a time, each answered in order.
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (request: Request): Promise<Reply> => {
    const reply = queue.then(() => {
      const answer = next();
      child.send(request);
      return answer;
    });
    queue = reply.catch(() => undefined);
    return reply;
  };
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error(`the gateway process said ${ready.kind} first`);
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    memory: async () => {
      const reply = await ask({ kind: 'memory' });
      if (reply.kind !== 'memory') throw new Error(`expected memory, got ${reply.kind}`);
      return { rss: reply.rss, heap: reply.heap };
    },
    cpu: async () => {
      const reply = await ask({ kind: 'cpu' });
      if (reply.kind !== 'cpu') throw new Error(`expected cpu, got ${reply.kind}`);
      return reply.micros;
    },
    resolutions: async () => {
      const reply = await ask({ kind: 'resolutions' });
      if (reply.kind !== 'resolutions') throw new Error(`expected resolutions, got ${reply.kind}`);
      return reply.count;
    },
    share: async (on) => {
      await ask({ kind: 'share', on });
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ kind: 'exit' } satisfies Request);
      await exited.catch(() => undefined);
    },
  };
}

async function gatewayProcess(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' }, 'service');
  // As serve does: tracing (when OTEL_* names an endpoint) before the system starts.
  if (config.tracing) startTracing(config.tracing);
  const running = await startSystem({ config });
  // Without KAFKA_BROKERS the gateway serves no live updates: `share` and `resolutions` then fail.
  const hub = running.live;
  const liveHub = () => {
    if (!hub) throw new Error('the gateway runs no live hub (no KAFKA_BROKERS)');
    return hub;
  };
  v8.setFlagsFromString('--expose_gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const send = (reply: Reply) => process.send?.(reply);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void running.stop().finally(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.on('message', (request: Request) => {
    if (request.kind === 'exit') return stop();
    if (request.kind === 'share') {
      liveHub().shareResolutions = request.on;
      return send({ kind: 'done' });
    }
    if (request.kind === 'resolutions')
      return send({ kind: 'resolutions', count: liveHub().stats.resolutions });
    if (request.kind === 'cpu') {
      const { user, system } = process.cpuUsage();
      return send({ kind: 'cpu', micros: user + system });
    }
    gc();
    gc();
    const usage = process.memoryUsage();
    // external already includes arrayBuffers.
    send({ kind: 'memory', rss: usage.rss, heap: usage.heapUsed + usage.external });
  });
  send({ kind: 'ready' });
}

if (process.argv[2] === '--gateway') {
  gatewayProcess().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
