import { startAppointmentsService } from '@clinic/appointments-subgraph';
import { checkpointsInDataDir, startAuditService } from '@clinic/audit-subgraph';
import { startDoctorsService } from '@clinic/doctors-subgraph';
import {
  consoleModeFromEnv,
  createTokenVerifier,
  hardeningFromEnv,
  liveOptionsFromEnv,
  NOTIFICATIONS_PAGE_PATH,
  startGateway,
  tokenVerifierOptionsFromEnv,
} from '@clinic/gateway';
import {
  DEV_NOTIFICATIONS_PATH,
  gatewayClinicDirectory,
  loadVaultKeys,
  notificationSettingsFromEnv,
  startPatientsService,
  type VaultKeys,
} from '@clinic/patients-subgraph';
import { DEFAULT_GATEWAY_PORT, DEFAULT_SUBGRAPH_PORTS, type DatabaseName, type SubgraphName } from '@clinic/contracts';
import { createLogger, generateInternalIdentitySecret, InProcessEventBus, KafkaEventBus, kafkaConnectionFromEnv, type EventBus, loadOrCreateDevSigningKey, type DestinationStream, type DevSigningKey, type RunningServer } from '@clinic/platform';
import { migrateAll, openDatabases } from './databases';

export interface SystemOptions {
  /** Data folder for embedded databases and the dev signing key; null keeps databases in memory. */
  dataDir: string | null;
  /** Folder for the dev signing key when dataDir is null. */
  keyDir?: string;
  gatewayPort?: number;
  /** Subgraph ports; 0 picks free ports. Default 4001-4004. */
  subgraphPorts?: Partial<Record<SubgraphName, number>>;
  /** First embedded database port (five in a row); 0 picks free ports. */
  databasePort?: number;
  logLevel?: string;
  /** Where every service's log lines go (stdout by default); a test reads them back from here. */
  logDestination?: DestinationStream;
  onQuery?: (database: DatabaseName, sql: string) => void;
  env?: NodeJS.ProcessEnv;
  /**
   * Runs on the migrated databases before any service starts (the seed): embedded databases serve one
   * connection at a time safely, and services poll in the background from their first second.
   */
  prepare?: (urls: Record<DatabaseName, string>, vaultKeys: VaultKeys) => Promise<void>;
}

export interface RunningSystem {
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  databaseUrls: Record<DatabaseName, string>;
  /** Kafka when KAFKA_BROKERS is set, otherwise the in-process bus. */
  bus: EventBus;
  signingKey: DevSigningKey;
  /** The PII vault's master and blind-index keys (the seed seals its mock patients with them). */
  vaultKeys: VaultKeys;
  /**
   * The gateway's page listing what the development notification sink holds, for a SystemAdministrator's
   * bearer token; null when sending through AWS.
   */
  notificationsPage: string | null;
  /** What the gateway signs each request's identity with for the subgraphs; tests calling one directly need it. */
  internalIdentitySecret: string;
  stop(): Promise<void>;
}

/**
 * The whole product in one process: embedded or real databases, migrated; the in-process or the Kafka
 * bus; four subgraphs; the gateway. `npm start` and the end-to-end tests both run exactly this.
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const level = options.logLevel ?? process.env['LOG_LEVEL'] ?? 'info';
  const log = (service: string) => createLogger(service, level, options.logDestination);
  const ports = { ...DEFAULT_SUBGRAPH_PORTS, ...options.subgraphPorts };
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const databases = await openDatabases({
      dataDir: options.dataDir,
      basePort: options.databasePort ?? 55432,
      ...(options.env ? { env: options.env } : {}),
    });
    stops.push(databases.stop);
    await migrateAll(databases.urls);
    const { urls } = databases;
    const counted = (database: DatabaseName) =>
      options.onQuery ? (sql: string) => options.onQuery?.(database, sql) : undefined;

    const env = options.env ?? process.env;
    // One per system unless configured: only this gateway can then speak to these subgraphs.
    const internalIdentitySecret = env['INTERNAL_IDENTITY_SECRET'] || generateInternalIdentitySecret();
    const kafka = kafkaConnectionFromEnv(env);
    const bus: EventBus = kafka
      ? new KafkaEventBus({
          ...kafka,
          clientId: 'clinic-scheduling',
          groupPrefix: env['KAFKA_GROUP_PREFIX'] ?? '',
          topicPrefix: env['KAFKA_TOPIC_PREFIX'] ?? '',
          logger: log('event-bus'),
        })
      : new InProcessEventBus({ logger: log('event-bus') });
    const vaultKeys = await loadVaultKeys({ env, devDir: options.dataDir ?? options.keyDir ?? '.data' });
    await options.prepare?.(urls, vaultKeys);
    // Messages name the clinic and doctor from the gateway's public `clinics` query, once it is up.
    let gatewayUrl: string | null = null;
    const notifications = {
      ...notificationSettingsFromEnv(env, options.dataDir ?? options.keyDir ?? '.data', log('patients')),
      directory: gatewayClinicDirectory(() => gatewayUrl, log('patients')),
    };
    const started: Record<SubgraphName, RunningServer> = {
      doctors: await startDoctorsService({
        internalIdentitySecret,
        databaseUrl: urls.doctors,
        port: ports.doctors,
        bus,
        ...(env['AVAILABILITY_HORIZON_DAYS']
          ? { horizonDays: Number(env['AVAILABILITY_HORIZON_DAYS']) }
          : {}),
        logger: log('doctors'),
        onQuery: counted('doctors'),
      }),
      appointments: await startAppointmentsService({
        internalIdentitySecret,
        databaseUrl: urls.appointments,
        port: ports.appointments,
        bus,
        logger: log('appointments'),
        onQuery: counted('appointments'),
      }),
      patients: await startPatientsService({
        internalIdentitySecret,
        databaseUrl: urls.patients,
        vaultDatabaseUrl: urls.pii_vault,
        port: ports.patients,
        vaultKeys,
        bus,
        notifications,
        logger: log('patients'),
        onQuery: counted('patients'),
        onVaultQuery: counted('pii_vault'),
      }),
      audit: await startAuditService({
        internalIdentitySecret,
        databaseUrl: urls.audit,
        port: ports.audit,
        bus,
        logger: log('audit'),
        onQuery: counted('audit'),
        // The chain head exported to the data folder; `npm run audit:verify` checks against it.
        checkpoints: options.dataDir ? checkpointsInDataDir(options.dataDir) : undefined,
      }),
    };
    for (const server of Object.values(started)) stops.push(server.stop);
    // Stopped before the services, so no consumer is mid-event when their databases disconnect; events a
    // relay could not publish then stay in its outbox for the next start.
    stops.push(() => bus.close());
    const subgraphUrls = Object.fromEntries(
      Object.entries(started).map(([name, server]) => [name, server.url]),
    ) as Record<SubgraphName, string>;

    const signingKey = await loadOrCreateDevSigningKey(options.dataDir ?? options.keyDir ?? '.data');
    const gateway = await startGateway({
      port: options.gatewayPort ?? DEFAULT_GATEWAY_PORT,
      subgraphs: subgraphUrls,
      verifyToken: createTokenVerifier(tokenVerifierOptionsFromEnv(env, signingKey.publicKey)),
      internalIdentitySecret,
      hardening: hardeningFromEnv(env),
      logger: log('gateway'),
      live: liveOptionsFromEnv(env, bus),
      console: { mode: consoleModeFromEnv(env), signingKey },
      // Only with the sink, which is never set up in production.
      ...(notifications.devSink
        ? { notificationsPage: { url: new URL(DEV_NOTIFICATIONS_PATH, subgraphUrls.patients).toString() } }
        : {}),
    });
    stops.push(gateway.stop);
    gatewayUrl = gateway.url;
    return {
      gatewayUrl: gateway.url,
      subgraphUrls,
      databaseUrls: urls,
      bus,
      signingKey,
      vaultKeys,
      notificationsPage: notifications.devSink
        ? new URL(NOTIFICATIONS_PAGE_PATH, gateway.url).toString()
        : null,
      internalIdentitySecret,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
