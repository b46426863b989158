import { createPublicKey } from 'node:crypto';
import { startAppointmentsService } from '@clinic/appointments-subgraph';
import { checkpointsInDataDir, startAuditService } from '@clinic/audit-subgraph';
import { SUBGRAPH_NAMES, type DatabaseName, type SubgraphName } from '@clinic/contracts';
import {
  createLogger,
  generateInternalIdentitySecret,
  InProcessEventBus,
  KafkaEventBus,
  loadOrCreateDevSigningKey,
  startMetricsServer,
  type DestinationStream,
  type DevSigningKey,
  type EventBus,
  type RunningServer,
} from '@clinic/platform';
import { startDoctorsService } from '@clinic/doctors-subgraph';
import {
  createTokenVerifier,
  NOTIFICATIONS_PAGE_PATH,
  startGateway,
  type LiveHub,
  type ResponseCache,
  type TokenVerifierOptions,
} from '@clinic/gateway';
import {
  DEV_NOTIFICATIONS_PATH,
  SMS_REPLIES_PATH,
  gatewayClinicDirectory,
  loadVaultKeys,
  notificationSettings,
  startPatientsService,
  type VaultKeys,
} from '@clinic/patients-subgraph';
import type { KeyLike } from 'jose';
import type { AuthSettings, Config, ServiceName } from './config/config';
import { migrateAll, openDatabases } from './databases';

export interface SystemOptions {
  config: Config;
  /** Overrides the configured data folder; null keeps embedded databases in memory (tests). */
  dataDir?: string | null;
  /** Folder for the dev signing key and vault keys when dataDir is null. */
  keyDir?: string;
  /** Where every service's log lines go (stdout by default); a test reads them back from here. */
  logDestination?: DestinationStream;
  onQuery?: (database: DatabaseName, sql: string) => void;
  /**
   * Runs on the migrated databases before any service starts (the seed): embedded databases serve one
   * connection at a time safely, and services poll in the background from their first second.
   */
  prepare?: (urls: Record<DatabaseName, string>, vaultKeys: VaultKeys) => Promise<void>;
  /** Fetches SNS's signing certificates instead of https (tests sign SMS replies with their own key). */
  snsCertificates?: (url: string) => Promise<string>;
}

export interface RunningSystem {
  /** Empty when this process runs no gateway. */
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  databaseUrls: Record<DatabaseName, string>;
  /** Kafka when configured, otherwise the in-process bus. */
  bus: EventBus;
  /** The development issuer's key; null where tokens come from Cognito or a configured key. */
  signingKey: DevSigningKey | null;
  /** The PII vault's master and blind-index keys; null where this process runs no patients service. */
  vaultKeys: VaultKeys | null;
  /** The gateway's page listing the development notification sink, for a SystemAdministrator; null in AWS. */
  notificationsPage: string | null;
  /** The gateway's live hub (its counters); null without a gateway or live updates here. */
  live: LiveHub | null;
  /** The gateway's response cache; null without a gateway, live updates, or with the cache off. */
  responseCache: ResponseCache | null;
  /** What the gateway signs each request's identity with for the subgraphs; tests calling one directly need it. */
  internalIdentitySecret: string;
  /** Where this process serves `GET /metrics` (every service it runs, each with its `service` label). */
  metricsPort: number;
  /** SIGTERM arrived: every server here answers /readyz with 503 from now on, and still serves. */
  beginDrain(): void;
  /** Stops accepting, finishes what is in flight (within the drain timeout), then stops in order. */
  stop(): Promise<void>;
}

/**
 * The one composition root. In the all-in-one layout (`npm start`, the whole-system tests) it runs every
 * service in this process on embedded or real databases, migrated, over the in-process bus or Kafka. In
 * the service layout (`serve`, one container) it runs the one service `config.service` names.
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const { config } = options;
  const log = (service: string) => createLogger(service, config.logLevel, options.logDestination);
  const runs = (name: ServiceName) => config.service === null || config.service === name;
  const dataDir = options.dataDir === undefined ? config.dataDir : options.dataDir;
  const keyDir = dataDir ?? options.keyDir ?? config.dataDir;
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    // First up and last down: a scrape during start or stop still answers (what is running reports).
    const metricsServer = await startMetricsServer({
      ...config.metrics,
      logger: log(config.service ?? 'metrics'),
      ...(config.service && config.service !== 'migrate' ? { service: config.service } : {}),
    });
    stops.push(metricsServer.stop);
    const databases =
      config.service === null
        ? await openDatabases({
            dataDir,
            basePort: config.embeddedDatabasePort,
            configured: config.databaseUrls,
          })
        : { urls: config.databaseUrls as Record<DatabaseName, string>, stop: async () => undefined };
    stops.push(databases.stop);
    if (config.service === null) await migrateAll(databases.urls, config.migrationsRoot);
    const { urls } = databases;
    const counted = (database: DatabaseName) =>
      options.onQuery ? (sql: string) => options.onQuery?.(database, sql) : undefined;

    // One per system unless configured: only this gateway can then speak to these subgraphs.
    const internalIdentitySecret = config.internalIdentitySecret ?? generateInternalIdentitySecret();
    // Bus lines carry the service's name where one service runs (a pod's logs are filtered by it).
    const busLogger = log(config.service ?? 'event-bus').child({ component: 'event-bus' });
    const bus: EventBus = config.kafka
      ? new KafkaEventBus({
          ...config.kafka.connection,
          clientId: config.kafka.clientId,
          groupPrefix: config.kafka.groupPrefix,
          topicPrefix: config.kafka.topicPrefix,
          logger: busLogger,
        })
      : new InProcessEventBus({ logger: busLogger });
    // Only where the vault is used: a production doctors pod has no vault keys, and needs none.
    const vaultKeys =
      runs('patients') || options.prepare
        ? await loadVaultKeys({
            keys: config.patients.vaultKeys,
            production: config.production,
            devDir: keyDir,
          })
        : null;
    if (options.prepare && vaultKeys) await options.prepare(urls, vaultKeys);
    // Messages name the clinic and doctor from the gateway's public `clinics` query, once it is up.
    let gatewayUrl: string | null = null;
    let live: LiveHub | null = null;
    let responseCache: ResponseCache | null = null;
    const notifications = runs('patients')
      ? {
          ...notificationSettings(config.patients.notifications, {
            production: config.production,
            dataDir: keyDir,
            logger: log('patients'),
          }),
          // Beside a gateway in this process, names come from it unless a directory URL is configured.
          ...(runs('gateway') && !config.patients.notifications.directoryUrl
            ? { directory: gatewayClinicDirectory(() => gatewayUrl, log('patients')) }
            : {}),
          // Reminder emails link to this gateway's reminder page unless REMINDER_PAGE_URL says otherwise.
          ...(runs('gateway') && !config.patients.notifications.reminderPageUrl
            ? { reminderPageUrl: () => (gatewayUrl ? new URL('/reminder', gatewayUrl).href : null) }
            : {}),
        }
      : null;
    const common = {
      internalIdentitySecret,
      bus,
      host: config.host,
      drainTimeoutMs: config.shutdown.drainTimeoutMs,
      ...(config.schemaDir ? { schemaDir: config.schemaDir } : {}),
    };
    const port = config.subgraphPorts;
    const started: Partial<Record<SubgraphName, RunningServer>> = {};
    if (runs('doctors'))
      started.doctors = await startDoctorsService({
        ...common,
        databaseUrl: urls.doctors,
        port: port.doctors,
        horizonDays: config.doctors.horizonDays,
        logger: log('doctors'),
        onQuery: counted('doctors'),
      });
    if (runs('appointments'))
      started.appointments = await startAppointmentsService({
        ...common,
        databaseUrl: urls.appointments,
        port: port.appointments,
        holdMinutes: config.appointments.holdMinutes,
        holdsPerPatient: config.appointments.holdsPerPatient,
        practiceGroups: config.appointments.practiceGroups,
        logger: log('appointments'),
        onQuery: counted('appointments'),
      });
    if (runs('patients') && notifications && vaultKeys)
      started.patients = await startPatientsService({
        ...common,
        databaseUrl: urls.patients,
        vaultDatabaseUrl: urls.pii_vault,
        port: port.patients,
        vaultKeys,
        notifications,
        ...(config.patients.smsRepliesTopicArn
          ? {
              smsReplies: {
                topicArn: config.patients.smsRepliesTopicArn,
                ...(options.snsCertificates ? { fetchCertificate: options.snsCertificates } : {}),
              },
            }
          : {}),
        logger: log('patients'),
        onQuery: counted('patients'),
        onVaultQuery: counted('pii_vault'),
      });
    if (runs('audit'))
      started.audit = await startAuditService({
        ...common,
        databaseUrl: urls.audit,
        port: port.audit,
        logger: log('audit'),
        onQuery: counted('audit'),
        // The chain head exported to the data folder; `npm run audit:verify` checks against it.
        ...(dataDir && config.service === null ? { checkpoints: checkpointsInDataDir(dataDir) } : {}),
        ...(config.audit.verifyIntervalMs
          ? { chainWatch: { intervalMs: config.audit.verifyIntervalMs } }
          : {}),
      });
    // Stops run last first. All in one process, the bus closes before the services, so no consumer is
    // mid-event when their databases disconnect (events a relay could not publish stay in its outbox).
    // One service in a pod stops taking requests first, so what they commit is still published, then
    // closes the bus (a rolling update drops no request and leaves no event half-handled).
    if (config.service !== null) stops.push(() => bus.close());
    for (const server of Object.values(started)) stops.push(server.stop);
    const draining = Object.values(started).map((server) => server.beginDrain);
    if (config.service === null) stops.push(() => bus.close());
    const subgraphUrls = Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, started[name]?.url ?? config.gateway.subgraphUrls[name] ?? '']),
    ) as Record<SubgraphName, string>;

    // The development issuer's key, kept in the data folder; a production gateway verifies Cognito's.
    const { auth } = config.gateway;
    const signingKey =
      config.service === null || (runs('gateway') && !auth.jwks && !auth.publicKeyPem)
        ? await loadOrCreateDevSigningKey(keyDir)
        : null;
    if (runs('gateway')) {
      const devSink = notifications?.devSink;
      const gateway = await startGateway({
        port: config.gateway.port,
        drainTimeoutMs: config.shutdown.drainTimeoutMs,
        host: config.host,
        subgraphs: subgraphUrls,
        ...(config.schemaDir ? { schemaDir: config.schemaDir } : {}),
        verifyToken: createTokenVerifier(tokenVerifierOptions(auth, signingKey?.publicKey)),
        internalIdentitySecret,
        hardening: config.gateway.hardening,
        responseCache: config.gateway.responseCache,
        trustedDocuments: config.gateway.trustedDocuments,
        logger: log('gateway'),
        // A gateway alone in its process has live updates only from Kafka: an in-process bus hears nothing.
        ...(config.kafka || config.service === null ? { live: { ...config.gateway.live, bus } } : {}),
        // The development console issues tokens with the development key; the admin one issues none.
        console: { mode: config.gateway.console, ...(signingKey ? { signingKey } : {}) },
        // Only with the sink, which is never set up in production.
        ...(devSink
          ? { notificationsPage: { url: new URL(DEV_NOTIFICATIONS_PATH, subgraphUrls.patients).toString() } }
          : {}),
        // SNS posts patients' SMS replies to the public edge; the patients service checks them.
        ...(config.patients.smsRepliesTopicArn
          ? { snsReplies: { url: new URL(SMS_REPLIES_PATH, subgraphUrls.patients).toString() } }
          : {}),
      });
      stops.push(gateway.stop);
      draining.push(gateway.beginDrain);
      gatewayUrl = gateway.url;
      live = gateway.live;
      responseCache = gateway.responseCache;
    }
    return {
      gatewayUrl: gatewayUrl ?? '',
      subgraphUrls,
      databaseUrls: urls,
      bus,
      signingKey,
      vaultKeys,
      notificationsPage:
        gatewayUrl && notifications?.devSink ? new URL(NOTIFICATIONS_PAGE_PATH, gatewayUrl).toString() : null,
      internalIdentitySecret,
      live,
      responseCache,
      metricsPort: metricsServer.port,
      beginDrain: () => {
        for (const begin of draining) begin();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A JWKS URL (Cognito), a fixed public key, or the development issuer's key; with the configured limits. */
export function tokenVerifierOptions(
  auth: AuthSettings,
  devPublicKey: KeyLike | undefined,
): TokenVerifierOptions {
  const limits = {
    clockToleranceSeconds: auth.clockToleranceSeconds,
    maxTokenLifetimeSeconds: auth.maxTokenLifetimeSeconds,
  };
  if (auth.jwks)
    return { jwksUrl: auth.jwks.url, issuer: auth.jwks.issuer, audience: auth.jwks.audience, ...limits };
  const publicKey = auth.publicKeyPem ? createPublicKey(auth.publicKeyPem) : devPublicKey;
  if (!publicKey) throw new Error('no key to verify tokens with');
  return {
    publicKey,
    ...(auth.issuer ? { issuer: auth.issuer } : {}),
    ...(auth.audience ? { audience: auth.audience } : {}),
    ...limits,
  };
}
