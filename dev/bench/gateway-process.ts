import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import pino from 'pino';
import {
  createTokenVerifier,
  hardeningFromEnv,
  liveHubs,
  liveOptionsFromEnv,
  startGateway,
  tokenVerifierOptionsFromEnv,
} from '@clinic/gateway';
import { KafkaEventBus, kafkaConnectionFromEnv, loadOrCreateDevSigningKey } from '@clinic/platform';

/**
 * A gateway with live subscriptions in a process of its own, as deployed (the subgraphs run elsewhere),
 * for benches that measure the gateway alone: its memory, its event loop. The bench process talks to it
 * over IPC for what only the process itself can tell: its memory after forced collections, and its live
 * hub's counters.
 */
type Request =
  { kind: 'memory' } | { kind: 'resolutions' } | { kind: 'share'; on: boolean } | { kind: 'exit' };
type Reply =
  | { kind: 'ready'; url: string }
  | { kind: 'memory'; rss: number; heap: number }
  | { kind: 'resolutions'; count: number }
  | { kind: 'done' };

export interface GatewayProcess {
  url: string;
  pid: number;
  /** RSS and heap (used + external) after two forced collections. */
  memory(): Promise<{ rss: number; heap: number }>;
  /** Resolutions the live hub has run so far. */
  resolutions(): Promise<number>;
  /** Whether new subscribers asking the same thing share one resolution per event. */
  share(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the gateway process against running subgraphs; `env` as the gateway's (Kafka, limits, secret). */
export async function startGatewayProcess(
  subgraphs: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Promise<GatewayProcess> {
  const child = fork(__filename, ['--gateway', JSON.stringify(subgraphs)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
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
    url: ready.url,
    pid: child.pid ?? 0,
    memory: async () => {
      const reply = await ask({ kind: 'memory' });
      if (reply.kind !== 'memory') throw new Error(`expected memory, got ${reply.kind}`);
      return { rss: reply.rss, heap: reply.heap };
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
  const subgraphs = JSON.parse(process.argv[3] ?? '{}') as Record<string, string>;
  const env = process.env;
  const kafka = kafkaConnectionFromEnv(env);
  if (!kafka) throw new Error('the gateway process needs KAFKA_BROKERS');
  const bus = new KafkaEventBus({
    ...kafka,
    clientId: 'bench-gateway',
    groupPrefix: env['KAFKA_GROUP_PREFIX'] ?? '',
    topicPrefix: env['KAFKA_TOPIC_PREFIX'] ?? '',
    logger: pino({ level: 'silent' }),
  });
  // Anonymous subscribers only; a key of its own lets the verifier start.
  const signingKey = await loadOrCreateDevSigningKey(mkdtempSync(path.join(os.tmpdir(), 'bench-gateway-')));
  const gateway = await startGateway({
    port: 0,
    subgraphs,
    verifyToken: createTokenVerifier(tokenVerifierOptionsFromEnv(env, signingKey.publicKey)),
    hardening: hardeningFromEnv(env),
    logger: pino({ level: 'silent' }),
    live: liveOptionsFromEnv(env, bus),
  });
  const hub = [...liveHubs][0];
  if (!hub) throw new Error('the gateway runs no live hub');
  v8.setFlagsFromString('--expose_gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const send = (reply: Reply) => process.send?.(reply);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void gateway
      .stop()
      .then(() => bus.close())
      .finally(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.on('message', (request: Request) => {
    if (request.kind === 'exit') return stop();
    if (request.kind === 'share') {
      hub.shareResolutions = request.on;
      return send({ kind: 'done' });
    }
    if (request.kind === 'resolutions') return send({ kind: 'resolutions', count: hub.stats.resolutions });
    gc();
    gc();
    const usage = process.memoryUsage();
    // external already includes arrayBuffers.
    send({ kind: 'memory', rss: usage.rss, heap: usage.heapUsed + usage.external });
  });
  send({ kind: 'ready', url: gateway.url });
}

if (process.argv[2] === '--gateway') {
  gatewayProcess().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
