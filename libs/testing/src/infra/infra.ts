/**
 * Real PostgreSQL and Kafka on 127.0.0.1 for integration tests: the functions tests call and the
 * `infra-cli.ts up|down|status` command runs.
 */
import fs from 'node:fs';
import path from 'node:path';

import { DATABASE_NAMES, databaseUrlVariable, type DatabaseName } from '@clinic/contracts';
import { kafkaBrokers, kafkaRunning, startKafka, stopKafka } from './kafka';
import { databaseUrls, postgresRunning, startPostgres, stopPostgres } from './postgres';
import {
  readState,
  resolveConfig,
  stateFile,
  withLock,
  type InfraConfig,
  type InfraOptions,
  type KafkaState,
  type PostgresState,
} from './state';

export { InfraError, type InfraOptions } from './state';

export interface InfraEndpoints {
  /** `127.0.0.1:<port>`, for KAFKA_BROKERS. */
  kafkaBrokers: string;
  /** `postgresql://clinic:clinic@127.0.0.1:<port>/<name>`, for DATABASE_URL_<NAME>. */
  databaseUrls: Record<DatabaseName, string>;
}

function prepare(options?: InfraOptions): InfraConfig {
  const config = resolveConfig(options);
  fs.mkdirSync(path.join(config.dataDir, 'logs'), { recursive: true });
  return config;
}

/** Starts whatever is not running yet (both side by side) and waits until each answers. */
export async function infraUp(options?: InfraOptions): Promise<InfraEndpoints> {
  const config = prepare(options);
  return withLock(config, async () => {
    const [postgres, kafka] = await Promise.allSettled([startPostgres(config), startKafka(config)]);
    if (postgres.status === 'rejected' && kafka.status === 'rejected') {
      // Both failed: say both, since fixing only the thrown one would just reveal the other.
      config.log(`infra: ${kafka.reason instanceof Error ? kafka.reason.message : String(kafka.reason)}`);
    }
    if (postgres.status === 'rejected') throw postgres.reason;
    if (kafka.status === 'rejected') throw kafka.reason;
    return {
      kafkaBrokers: kafkaBrokers(kafka.value.port),
      databaseUrls: databaseUrls(postgres.value.port),
    };
  });
}

/** Stops only what the state file says infraUp started. */
export async function infraDown(options?: InfraOptions): Promise<void> {
  const config = prepare(options);
  await withLock(config, async () => {
    // Side by side: neither depends on the other, and the broker's SIGTERM grace is the slow part.
    await Promise.all([stopKafka(config), stopPostgres(config)]);
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
  /** `KAFKA_BROKERS=…` and `DATABASE_URL_<NAME>=…` lines for whichever of the two runs. */
  env: string[];
}

export async function infraStatus(options?: InfraOptions): Promise<InfraStatus> {
  const config = resolveConfig(options);
  const state = readState(config);
  const postgres = { running: await postgresRunning(state.postgres), recorded: state.postgres ?? null };
  const kafka = { running: await kafkaRunning(state.kafka), recorded: state.kafka ?? null };
  return {
    stateFile: stateFile(config),
    postgres,
    kafka,
    env: envLines({
      kafkaBrokers: kafka.running && state.kafka ? kafkaBrokers(state.kafka.port) : null,
      databaseUrls: postgres.running && state.postgres ? databaseUrls(state.postgres.port) : null,
    }),
  };
}

/** `KAFKA_BROKERS=…` and the five `DATABASE_URL_<NAME>=…` lines, ready for `export`. */
export function envLines(endpoints: {
  kafkaBrokers: string | null;
  databaseUrls: Record<DatabaseName, string> | null;
}): string[] {
  return [
    ...(endpoints.kafkaBrokers ? [`KAFKA_BROKERS=${endpoints.kafkaBrokers}`] : []),
    ...DATABASE_NAMES.flatMap((name) =>
      endpoints.databaseUrls ? [`${databaseUrlVariable(name)}=${endpoints.databaseUrls[name]}`] : [],
    ),
  ];
}
