/**
 * Real PostgreSQL, Kafka and a Jaeger trace store on 127.0.0.1 for integration tests: the functions tests
 * call and the `infra-cli.ts up|down|status` command runs.
 */
import fs from 'node:fs';
import path from 'node:path';

import { DATABASE_NAMES, databaseUrlVariable, type DatabaseName } from '@clinic/contracts';
import { jaegerRunning, jaegerUrls, startJaeger, stopJaeger } from './jaeger';
import { kafkaBrokers, kafkaRunning, startKafka, stopKafka } from './kafka';
import { databaseUrls, postgresRunning, startPostgres, stopPostgres } from './postgres';
import {
  readState,
  resolveConfig,
  stateFile,
  withLock,
  type InfraConfig,
  type InfraOptions,
  type JaegerState,
  type KafkaState,
  type PostgresState,
} from './state';

export { InfraError, type InfraOptions } from './state';

export interface InfraEndpoints {
  /** `127.0.0.1:<port>`, for KAFKA_BROKERS. */
  kafkaBrokers: string;
  /** `postgresql://clinic:clinic@127.0.0.1:<port>/<name>`, for DATABASE_URL_<NAME>. */
  databaseUrls: Record<DatabaseName, string>;
  /** `http://127.0.0.1:<port>`: Jaeger's OTLP/HTTP receiver, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpEndpoint: string;
  /** `http://127.0.0.1:<port>`: Jaeger's query API (`/api/traces/<trace id>`) and UI. */
  jaegerQueryUrl: string;
}

function prepare(options?: InfraOptions): InfraConfig {
  const config = resolveConfig(options);
  fs.mkdirSync(path.join(config.dataDir, 'logs'), { recursive: true });
  reserveTestPorts();
  return config;
}

/**
 * The daemons of the tests listen on fixed ports in 54000-59999, inside Linux's ephemeral range: an
 * outgoing connection of another test could hold one just when a daemon starts (PostgreSQL then fails with
 * "could not create any TCP/IP sockets"). As root (CI), keep the kernel from handing those ports out;
 * elsewhere the write is refused and nothing changes.
 */
function reserveTestPorts(): void {
  const file = '/proc/sys/net/ipv4/ip_local_reserved_ports';
  try {
    const reserved = fs.readFileSync(file, 'utf8').trim();
    if (reserved.split(',').includes(TEST_PORT_RANGE)) return;
    fs.writeFileSync(file, reserved ? `${reserved},${TEST_PORT_RANGE}` : TEST_PORT_RANGE);
  } catch {
    // Not Linux, or not root: the ports stay as the kernel has them.
  }
}
const TEST_PORT_RANGE = '54000-59999';

/** Starts whatever is not running yet (all side by side) and waits until each answers. */
export async function infraUp(options?: InfraOptions): Promise<InfraEndpoints> {
  const config = prepare(options);
  return withLock(config, async () => {
    const [postgres, kafka, jaeger] = await Promise.allSettled([
      startPostgres(config),
      startKafka(config),
      startJaeger(config),
    ]);
    const failures = [postgres, kafka, jaeger].flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    // Several failed: say each, since fixing only the thrown one would just reveal the next.
    for (const failure of failures.slice(1))
      config.log(`infra: ${failure instanceof Error ? failure.message : String(failure)}`);
    if (failures.length > 0) throw failures[0];
    const [pg, broker, traces] = [postgres, kafka, jaeger].map((result) =>
      result.status === 'fulfilled' ? result.value : null,
    ) as [PostgresState, KafkaState, JaegerState];
    const urls = jaegerUrls(traces);
    return {
      kafkaBrokers: kafkaBrokers(broker.port),
      databaseUrls: databaseUrls(pg.port),
      otlpEndpoint: urls.otlpEndpoint,
      jaegerQueryUrl: urls.queryUrl,
    };
  });
}

/** Stops only what the state file says infraUp started. */
export async function infraDown(options?: InfraOptions): Promise<void> {
  const config = prepare(options);
  await withLock(config, async () => {
    // Side by side: none depends on another, and the broker's SIGTERM grace is the slow part.
    await Promise.all([stopKafka(config), stopPostgres(config), stopJaeger(config)]);
  });
}

/** PostgreSQL alone (on its own ports and state folder), for a test that restarts its database only. */
export async function postgresUp(options?: InfraOptions): Promise<Record<DatabaseName, string>> {
  const config = prepare(options);
  return withLock(config, async () => databaseUrls((await startPostgres(config)).port));
}

/**
 * Stops the PostgreSQL that `postgresUp` (or `infraUp`) started with a fast shutdown: open sessions are
 * ended at once, as in a failover; `postgresUp` starts it again on the same data.
 */
export async function postgresDown(options?: InfraOptions): Promise<void> {
  const config = prepare(options);
  await withLock(config, () => stopPostgres(config));
}

/**
 * Stops the broker (SIGTERM, a controlled shutdown) and starts it again on the same ports and log dir,
 * resolving once a client can fetch metadata; starts it if it was not running.
 */
export async function restartKafka(options?: InfraOptions): Promise<void> {
  const config = prepare(options);
  await withLock(config, async () => {
    const recorded = readState(config).kafka;
    if (recorded) {
      config.kafkaPort = recorded.port;
      config.kafkaControllerPort = recorded.controllerPort;
    }
    await stopKafka(config);
    await startKafka(config);
  });
}

export interface InfraStatus {
  stateFile: string;
  postgres: { running: boolean; recorded: PostgresState | null };
  kafka: { running: boolean; recorded: KafkaState | null };
  jaeger: { running: boolean; recorded: JaegerState | null };
  /** `KAFKA_BROKERS=…`, `DATABASE_URL_<NAME>=…` and `OTEL_EXPORTER_OTLP_ENDPOINT=…` lines for whatever runs. */
  env: string[];
}

export async function infraStatus(options?: InfraOptions): Promise<InfraStatus> {
  const config = resolveConfig(options);
  const state = readState(config);
  const postgres = { running: await postgresRunning(state.postgres), recorded: state.postgres ?? null };
  const kafka = { running: await kafkaRunning(state.kafka), recorded: state.kafka ?? null };
  const jaeger = { running: await jaegerRunning(state.jaeger), recorded: state.jaeger ?? null };
  return {
    stateFile: stateFile(config),
    postgres,
    kafka,
    jaeger,
    env: envLines({
      kafkaBrokers: kafka.running && state.kafka ? kafkaBrokers(state.kafka.port) : null,
      databaseUrls: postgres.running && state.postgres ? databaseUrls(state.postgres.port) : null,
      otlpEndpoint: jaeger.running && state.jaeger ? jaegerUrls(state.jaeger).otlpEndpoint : null,
    }),
  };
}

/**
 * `KAFKA_BROKERS=…`, the five `DATABASE_URL_<NAME>=…` lines and, with Jaeger,
 * `OTEL_EXPORTER_OTLP_ENDPOINT=…` (traces to it), ready for `export`.
 */
export function envLines(endpoints: {
  kafkaBrokers: string | null;
  databaseUrls: Record<DatabaseName, string> | null;
  otlpEndpoint?: string | null;
}): string[] {
  return [
    ...(endpoints.kafkaBrokers ? [`KAFKA_BROKERS=${endpoints.kafkaBrokers}`] : []),
    ...DATABASE_NAMES.flatMap((name) =>
      endpoints.databaseUrls ? [`${databaseUrlVariable(name)}=${endpoints.databaseUrls[name]}`] : [],
    ),
    ...(endpoints.otlpEndpoint ? [`OTEL_EXPORTER_OTLP_ENDPOINT=${endpoints.otlpEndpoint}`] : []),
  ];
}
