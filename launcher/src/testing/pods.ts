import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importPKCS8, importSPKI, type KeyLike } from 'jose';
import {
  DATABASE_NAMES,
  databaseUrlVariable,
  SUBGRAPH_NAMES,
  type DatabaseName,
  type Identity,
  type SubgraphName,
} from '@clinic/contracts';
import { issueDevToken } from '@clinic/platform';
import { loadVaultKeys } from '@clinic/patients-subgraph';
import {
  createTestDatabases,
  LIFTED_LIMITS,
  postGraphQL,
  realInfra,
  type GraphQLRequestOptions,
  type GraphQLResponse,
  type TestDatabases,
} from '@clinic/testing';
import { buildServe } from '../build';
import { subgraphUrlVariable } from '../config/config';
import { DEFAULT_SEED, seed, type SeedOptions } from '../seed/seed';

/**
 * The production shape in a test: the bundled `serve` entrypoint (as in the image), one process per
 * service, on real PostgreSQL and Kafka, configured by the environment alone. Tests that must see
 * processes start, drain, die or talk across the network (tracing, metrics, graceful shutdown) use it.
 */

const root = path.resolve(__dirname, '..', '..', '..');

export type PodService = SubgraphName | 'gateway' | 'migrate';

export interface Pod {
  service: PodService;
  child: ChildProcess;
  /** The exit code (null when killed by a signal), once it exits. */
  exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far (JSON log lines). */
  output(): string;
  /** Its HTTP port, once it listens (0 for `migrate`). */
  port: number;
  /** Where it serves `GET /metrics`, once it listens (0 for `migrate`). */
  metricsPort: number;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Builds the image's bundle once per test file; `dispose` removes it. */
export async function buildEntrypoint(): Promise<{ entrypoint: string; dispose(): void }> {
  // Inside the repository, so the bundle's requires resolve in its node_modules as they do in the image.
  // A fresh checkout has no .data folder yet.
  mkdirSync(path.join(root, '.data'), { recursive: true });
  const outDir = mkdtempSync(path.join(root, '.data', 'serve-test-'));
  const entrypoint = await buildServe(outDir);
  return { entrypoint, dispose: () => rmSync(outDir, { recursive: true, force: true }) };
}

/** The image's environment (see Dockerfile): paths, then the service's own variables. */
export function imageEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    SCHEMA_DIR: path.join(root, 'schema'),
    MIGRATIONS_DIR: path.join(root, 'prisma'),
    LISTEN_HOST: '127.0.0.1',
    // Any free port: tests run side by side on one machine (the metrics server logs the one it took).
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Starts one process of the entrypoint; `port` is filled in by `listening`. */
export function runPod(entrypoint: string, service: PodService, env: NodeJS.ProcessEnv): Pod {
  const child = spawn(process.execPath, [entrypoint], {
    env: { ...env, SERVICE: service },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    service,
    child,
    exited,
    output: () => output,
    port: 0,
    metricsPort: 0,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits for the JSON log line that says the server listens, and records its port on the pod. */
export async function listening(pod: Pod): Promise<Pod> {
  let done = false;
  void pod.exited.then(() => (done = true));
  for (;;) {
    const match = /"port":(\d+)[^\n]*listening/.exec(pod.output());
    if (match?.[1]) {
      pod.port = Number(match[1]);
      // The metrics server starts before the service, so its line is already there.
      pod.metricsPort = Number(/"metricsPort":(\d+)/.exec(pod.output())?.[1] ?? 0);
      return pod;
    }
    if (done) throw new Error(`${pod.service} exited before listening:\n${pod.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface PodSystemOptions {
  seed?: Partial<SeedOptions>;
  /** Variables every process gets (e.g. OTEL_*, METRICS_PORT), after the harness's own. */
  env?: Record<string, string>;
  /** Variables for one service only, after `env`. */
  serviceEnv?: Partial<Record<PodService, Record<string, string>>>;
  /** Where the gateway finds each subgraph, instead of the pod's own URL (e.g. a proxy in front of replicas). */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** A PostgreSQL server of the test's own (any database URL on it), instead of the shared one. */
  postgresUrl?: string;
  /** A broker of the test's own, instead of the shared one. */
  kafkaBrokers?: string;
}

export interface PodSystem {
  gatewayUrl: string;
  pods: Record<Exclude<PodService, 'migrate'>, Pod>;
  databaseUrls: Record<DatabaseName, string>;
  /** The environment a further process of `service` would get (to start a replica with `startPod`). */
  envFor(service: PodService): NodeJS.ProcessEnv;
  /** Starts one more process (a replica, or a replacement) and waits until it listens. */
  startPod(service: PodService, extraEnv?: Record<string, string>): Promise<Pod>;
  /** A token the gateway accepts, signed with the key its JWT_PUBLIC_KEY names. */
  token(identity: Identity, expiresIn?: string | number): Promise<string>;
  graphql(query: string, options?: GraphQLRequestOptions): Promise<GraphQLResponse>;
  /** SIGTERMs every process still running (gateway first), then drops the databases and the bundle. */
  stop(): Promise<void>;
}

/**
 * Migrates fresh databases of the real PostgreSQL server, seeds them small, and starts the four subgraphs
 * and the gateway as separate processes on real Kafka, with topics and groups of their own.
 */
export async function startPodSystem(options: PodSystemOptions = {}): Promise<PodSystem> {
  const { entrypoint, dispose } = await buildEntrypoint();
  let databases: TestDatabases | null = null;
  const started: Pod[] = [];
  try {
    databases = await createTestDatabases(DATABASE_NAMES, options.postgresUrl ?? realInfra().postgresUrl);
    const urls = databases.urls;
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signingKey: { privateKey: KeyLike; publicKey: KeyLike } = {
      privateKey: await importPKCS8(privateKeyPem, 'ES256'),
      publicKey: await importSPKI(publicKeyPem, 'ES256'),
    };
    const vault = {
      masterKey: randomBytes(32).toString('base64'),
      indexKey: randomBytes(32).toString('base64'),
    };
    const run = randomUUID();
    const common: Record<string, string> = {
      ...LIFTED_LIMITS,
      ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), urls[name]])),
      KAFKA_BROKERS: options.kafkaBrokers ?? realInfra().kafkaBrokers.join(','),
      // Topics and groups of their own: a new consumer group must not replay other tests' history.
      KAFKA_GROUP_PREFIX: `pods-${run}-`,
      KAFKA_TOPIC_PREFIX: `pods-${run}-`,
      INTERNAL_IDENTITY_SECRET: randomBytes(32).toString('base64'),
      JWT_PUBLIC_KEY: publicKeyPem,
      VAULT_MASTER_KEY: vault.masterKey,
      VAULT_INDEX_KEY: vault.indexKey,
      NOTIFICATIONS_SENDER: 'sink',
      AVAILABILITY_HORIZON_DAYS: String(options.seed?.days ?? 14),
      PORT: '0',
      // No load balancer to wait for on SIGTERM (a drain test sets its own); stops stay quick.
      DRAIN_DELAY_MS: '200',
    };
    const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
    const envFor = (service: PodService): NodeJS.ProcessEnv =>
      imageEnv({
        ...common,
        ...(service === 'gateway'
          ? Object.fromEntries(
              SUBGRAPH_NAMES.map((name) => [
                subgraphUrlVariable(name),
                options.subgraphUrls?.[name] ?? subgraphUrls[name] ?? '',
              ]),
            )
          : {}),
        ...options.env,
        ...options.serviceEnv?.[service],
      });
    const startPod = async (service: PodService, extraEnv: Record<string, string> = {}) => {
      const pod = runPod(entrypoint, service, { ...envFor(service), ...extraEnv });
      started.push(pod);
      return listening(pod);
    };

    const migrate = runPod(entrypoint, 'migrate', envFor('migrate'));
    started.push(migrate);
    const migrated = await migrate.exited;
    if (migrated !== 0) throw new Error(`migrate exited ${migrated}:\n${migrate.output()}`);
    await seed(
      urls,
      { ...DEFAULT_SEED, clinics: 3, doctors: 6, patients: 20, appointments: 60, days: 14, ...options.seed },
      undefined,
      await loadVaultKeys({ keys: vault, production: true, devDir: os.tmpdir() }),
    );
    const subgraphPods = await Promise.all(SUBGRAPH_NAMES.map((name) => startPod(name)));
    for (const pod of subgraphPods)
      subgraphUrls[pod.service as SubgraphName] = `http://127.0.0.1:${pod.port}/graphql`;
    const gateway = await startPod('gateway');
    const gatewayUrl = `http://127.0.0.1:${gateway.port}/graphql`;
    const pods = Object.fromEntries([...subgraphPods, gateway].map((pod) => [pod.service, pod])) as Record<
      Exclude<PodService, 'migrate'>,
      Pod
    >;
    const owned = databases;
    return {
      gatewayUrl,
      pods,
      databaseUrls: urls,
      envFor,
      startPod,
      token: (identity, expiresIn) => issueDevToken(signingKey, identity, expiresIn),
      graphql: (query, options) => postGraphQL(gatewayUrl, query, options),
      stop: async () => {
        // The gateway first, as a rollout would: nothing calls a subgraph that has gone.
        const running = started.filter((pod) => pod.child.exitCode === null && pod.child.signalCode === null);
        await Promise.all(running.filter((pod) => pod.service === 'gateway').map((pod) => pod.stop()));
        await Promise.all(running.filter((pod) => pod.service !== 'gateway').map((pod) => pod.stop()));
        await owned.drop();
        dispose();
      },
    };
  } catch (error) {
    for (const pod of started) if (pod.child.exitCode === null) pod.child.kill('SIGKILL');
    await databases?.drop();
    dispose();
    throw error;
  }
}
