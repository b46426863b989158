import fs from 'node:fs';
import path from 'node:path';

import { awaitReady, isOurs, spawnDetached, stopDaemon, type Daemon } from './daemon';
import {
  HOST,
  InfraError,
  lastLogLine,
  portOpen,
  readState,
  seconds,
  updateState,
  type InfraConfig,
  type JaegerState,
} from './state';

/**
 * Jaeger's all-in-one as the tests' trace store: the binary install-tools.sh builds from the Go module
 * proxy (`npm run deploy:tools`), started detached with jaeger.yaml (in-memory storage), OTLP in and the
 * query API out on 127.0.0.1.
 */

export const JAEGER_CONFIG_FILE = path.join(__dirname, 'jaeger.yaml');
/** Bounded, so a long test run cannot grow the process without limit (the oldest traces go first). */
const MAX_TRACES = 50_000;
const READY_TIMEOUT_MS = 60_000;

export interface JaegerUrls {
  /** `http://127.0.0.1:<port>`: OTEL_EXPORTER_OTLP_ENDPOINT for OTLP/HTTP (the SDK appends /v1/traces). */
  otlpEndpoint: string;
  /** `http://127.0.0.1:<port>`: the query API (`/api/traces/<id>`, `/api/services`) and the UI. */
  queryUrl: string;
}

export function jaegerUrls(state: Pick<JaegerState, 'otlpHttpPort' | 'queryPort'>): JaegerUrls {
  return {
    otlpEndpoint: `http://${HOST}:${state.otlpHttpPort}`,
    queryUrl: `http://${HOST}:${state.queryPort}`,
  };
}

/** The binary, or a failure that says how to get it. */
function jaegerBinary(config: InfraConfig): { binary: string; version: string } {
  const binary = path.join(config.toolsBinDir, 'jaeger');
  if (!fs.existsSync(binary)) {
    throw new InfraError(
      `jaeger is missing from ${config.toolsBinDir}: run \`npm run deploy:tools\` ` +
        '(bash dev/deploy-check/install-tools.sh builds it from the Go module proxy)',
    );
  }
  // install-tools.sh leaves a stamp `.jaeger-<version>` beside the binary.
  const stamp = fs.readdirSync(config.toolsBinDir).find((name) => name.startsWith('.jaeger-'));
  return { binary, version: stamp ? stamp.slice('.jaeger-'.length) : 'unknown' };
}

const JAEGER: Daemon<'jaeger'> = {
  key: 'jaeger',
  noun: 'our Jaeger',
  commandLineMarks: (recorded) => ['jaeger', recorded.configFile],
  stopGraceMs: 10_000,
  stopPollMs: 100,
};

/** Ready means the query API answers, not merely that a port accepts connections. */
async function queryAnswers(queryPort: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${HOST}:${queryPort}/api/services`, {
      signal: AbortSignal.timeout(2000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

export async function jaegerRunning(recorded: JaegerState | undefined): Promise<boolean> {
  return !!recorded && isOurs(JAEGER, recorded) && (await queryAnswers(recorded.queryPort));
}

export async function startJaeger(config: InfraConfig): Promise<JaegerState> {
  const recorded = readState(config).jaeger;
  if (recorded && isOurs(JAEGER, recorded)) {
    if (await queryAnswers(recorded.queryPort)) {
      const note =
        recorded.otlpHttpPort === config.jaegerOtlpHttpPort ? '' : ' (other ports: run down first to change)';
      config.log(`jaeger: already running, ${describe(recorded)}${note}, pid ${recorded.pid}`);
      return recorded;
    }
    await stopJaeger(config); // alive but not answering: stuck in start-up or shutdown
  }

  const { binary, version } = jaegerBinary(config);
  const ports = {
    otlpHttpPort: config.jaegerOtlpHttpPort,
    otlpGrpcPort: config.jaegerOtlpGrpcPort,
    queryPort: config.jaegerQueryPort,
    queryGrpcPort: config.jaegerQueryPort - 1,
  };
  for (const [what, port] of Object.entries(ports)) {
    if (await portOpen(port)) {
      throw new InfraError(`Jaeger cannot start: ${what} ${HOST}:${port} is taken by another process`);
    }
  }

  const logFile = path.join(config.dataDir, 'logs', 'jaeger.log');
  config.log(`jaeger: starting ${version} (OTLP/HTTP ${HOST}:${ports.otlpHttpPort}) …`);
  const launched = spawnDetached(config, binary, ['--config', `file:${JAEGER_CONFIG_FILE}`], {
    logFile,
    env: {
      ...process.env,
      JAEGER_MAX_TRACES: String(MAX_TRACES),
      JAEGER_OTLP_HTTP_ENDPOINT: `${HOST}:${ports.otlpHttpPort}`,
      JAEGER_OTLP_GRPC_ENDPOINT: `${HOST}:${ports.otlpGrpcPort}`,
      JAEGER_QUERY_HTTP_ENDPOINT: `${HOST}:${ports.queryPort}`,
      JAEGER_QUERY_GRPC_ENDPOINT: `${HOST}:${ports.queryGrpcPort}`,
    },
  });

  const state: JaegerState = {
    pid: launched.pid,
    ...ports,
    configFile: JAEGER_CONFIG_FILE,
    logFile,
    version,
  };
  // Recorded before waiting, so `down` can still stop a Jaeger whose start-up this process abandoned.
  updateState(config, (current) => {
    current.jaeger = state;
  });

  await awaitReady(config, JAEGER, launched, {
    ready: () => queryAnswers(ports.queryPort),
    timeoutMs: READY_TIMEOUT_MS,
    pollMs: 200,
    exitedMessage: (exited) =>
      `Jaeger exited (${exited}) during start-up: ${lastLogLine(logFile, /error|fatal/i)}`,
    timeoutMessage: () =>
      `Jaeger did not answer on ${HOST}:${ports.queryPort} in ${READY_TIMEOUT_MS / 1000} s: ` +
      lastLogLine(logFile, /error|fatal/i),
  });
  config.log(`jaeger: ready, ${describe(state)} (${seconds(launched.launched)} after launch)`);
  return state;
}

function describe(state: JaegerState): string {
  const urls = jaegerUrls(state);
  return `OTLP/HTTP ${urls.otlpEndpoint}, OTLP/gRPC ${HOST}:${state.otlpGrpcPort}, query ${urls.queryUrl}`;
}

/** SIGTERM, then SIGKILL if it is still there after 10 s. Only the process the state file records. */
export function stopJaeger(config: InfraConfig, options: { quiet?: boolean } = {}): Promise<void> {
  return stopDaemon(config, JAEGER, options);
}
