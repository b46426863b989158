import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
export const HOST = '127.0.0.1';

/** A failure the CLI prints as one `infra: …` line; nothing else about it is worth a stack trace. */
export class InfraError extends Error {
  override readonly name = 'InfraError';
}

export interface InfraOptions {
  /** Where clusters, jars, logs and state.json live (default `<repo>/.data/infra`, env INFRA_DATA_DIR). */
  dataDir?: string;
  /** Default 55440, env INFRA_PG_PORT. */
  pgPort?: number;
  /** Default 59092, env INFRA_KAFKA_PORT. */
  kafkaPort?: number;
  /** Default kafkaPort + 1, env INFRA_KAFKA_CONTROLLER_PORT. */
  kafkaControllerPort?: number;
  /** How long the broker may take to answer a kafkajs admin client (default 90 s, env INFRA_KAFKA_TIMEOUT_S). */
  kafkaReadyTimeoutMs?: number;
  /** Jaeger's OTLP/HTTP receiver: default 54318, env INFRA_JAEGER_OTLP_HTTP_PORT. */
  jaegerOtlpHttpPort?: number;
  /** Jaeger's OTLP/gRPC receiver: default 54317, env INFRA_JAEGER_OTLP_GRPC_PORT. */
  jaegerOtlpGrpcPort?: number;
  /** Jaeger's query API and UI: default 56686, env INFRA_JAEGER_QUERY_PORT (its gRPC query API: this - 1). */
  jaegerQueryPort?: number;
  /** Where install-tools.sh put the jaeger binary (default ~/.cache/clinic-deploy-tools/bin, env DEPLOY_TOOLS_DIR). */
  toolsBinDir?: string;
  /** Progress lines; the CLI prints them to stderr. Pass `() => {}` to keep tests quiet. */
  log?: (line: string) => void;
}

export interface InfraConfig {
  dataDir: string;
  pgPort: number;
  kafkaPort: number;
  kafkaControllerPort: number;
  kafkaReadyTimeoutMs: number;
  jaegerOtlpHttpPort: number;
  jaegerOtlpGrpcPort: number;
  jaegerQueryPort: number;
  toolsBinDir: string;
  log: (line: string) => void;
}

function envPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  return parsePort(raw, name);
}

export function parsePort(raw: string, what: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InfraError(`${what} must be a port number (1-65535), got '${raw}'`);
  }
  return port;
}

/** Options win over environment variables, which win over the defaults. */
export function resolveConfig(options: InfraOptions = {}, env: NodeJS.ProcessEnv = process.env): InfraConfig {
  const kafkaPort = options.kafkaPort ?? envPort(env, 'INFRA_KAFKA_PORT') ?? 59092;
  const timeoutS = env.INFRA_KAFKA_TIMEOUT_S ? Number(env.INFRA_KAFKA_TIMEOUT_S) : 90;
  return {
    dataDir: path.resolve(options.dataDir ?? (env.INFRA_DATA_DIR || path.join(repoRoot, '.data', 'infra'))),
    pgPort: options.pgPort ?? envPort(env, 'INFRA_PG_PORT') ?? 55440,
    kafkaPort,
    kafkaControllerPort:
      options.kafkaControllerPort ?? envPort(env, 'INFRA_KAFKA_CONTROLLER_PORT') ?? kafkaPort + 1,
    kafkaReadyTimeoutMs: options.kafkaReadyTimeoutMs ?? (timeoutS > 0 ? timeoutS * 1000 : 90_000),
    jaegerOtlpHttpPort: options.jaegerOtlpHttpPort ?? envPort(env, 'INFRA_JAEGER_OTLP_HTTP_PORT') ?? 54318,
    jaegerOtlpGrpcPort: options.jaegerOtlpGrpcPort ?? envPort(env, 'INFRA_JAEGER_OTLP_GRPC_PORT') ?? 54317,
    jaegerQueryPort: options.jaegerQueryPort ?? envPort(env, 'INFRA_JAEGER_QUERY_PORT') ?? 56686,
    // The same folder as dev/deploy-check/tools.ts (which libraries may not import).
    toolsBinDir: path.resolve(
      options.toolsBinDir ??
        path.join(env.DEPLOY_TOOLS_DIR || path.join(os.homedir(), '.cache', 'clinic-deploy-tools'), 'bin'),
    ),
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

/** What this script started, so `down` stops exactly that and nothing else. */
export interface PostgresState {
  pid: number;
  port: number;
  pgData: string;
  logFile: string;
  version: string;
}

export interface KafkaState {
  pid: number;
  port: number;
  controllerPort: number;
  logDirs: string;
  propsFile: string;
  logFile: string;
  version: string;
}

export interface JaegerState {
  pid: number;
  otlpHttpPort: number;
  otlpGrpcPort: number;
  queryPort: number;
  queryGrpcPort: number;
  configFile: string;
  logFile: string;
  version: string;
}

export interface InfraState {
  postgres?: PostgresState;
  kafka?: KafkaState;
  jaeger?: JaegerState;
}

export function stateFile(config: InfraConfig): string {
  return path.join(config.dataDir, 'state.json');
}

export function readState(config: InfraConfig): InfraState {
  try {
    return JSON.parse(fs.readFileSync(stateFile(config), 'utf8')) as InfraState;
  } catch {
    return {};
  }
}

/** Read-modify-write, so the Postgres, Kafka and Jaeger parts never overwrite each other's entry. */
export function updateState(config: InfraConfig, change: (state: InfraState) => void): void {
  const state = readState(config);
  change(state);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = stateFile(config);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else (we are not root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie has exited; in a container nobody may ever reap it, so it would look alive forever.
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

/** The command line of a live process, to check a recorded pid was not reused by something else. */
export function processCommandLine(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}

export function portOpen(port: number, host = HOST, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)} s`;
}

/** The last line of a log that looks like the reason for a failure, or failing that its last line. */
export function lastLogLine(file: string, pattern = /\b(ERROR|FATAL|PANIC)\b|Exception|Error:/): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return `(no log at ${file})`;
  }
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const line = [...lines].reverse().find((candidate) => pattern.test(candidate)) ?? lines.at(-1);
  if (!line) return `(empty log ${file})`;
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

function lockHolder(lock: string): number | 'gone' | 'writing' | 'stale' {
  try {
    const holder = Number(fs.readFileSync(lock, 'utf8'));
    if (Number.isInteger(holder) && holder > 0) return holder;
    // Just created and not yet written, unless it has stayed empty for a while.
    return Date.now() - fs.statSync(lock).mtimeMs < 5000 ? 'writing' : 'stale';
  } catch {
    return 'gone';
  }
}

/**
 * One `up`/`down` at a time per data folder: parallel test workers calling infraUp() would otherwise race
 * to initdb or to start two brokers on one log dir.
 */
export async function withLock<T>(config: InfraConfig, work: () => Promise<T>): Promise<T> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const lock = path.join(config.dataDir, '.lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(lock);
      if (holder === 'gone') continue;
      if (holder === 'stale' || (holder !== 'writing' && !pidAlive(holder))) {
        fs.rmSync(lock, { force: true }); // left by a process that died mid-way
        continue;
      }
      if (Date.now() > deadline)
        throw new InfraError(`${lock} is held by pid ${String(holder)} for too long`);
      await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
