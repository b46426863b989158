import path from 'node:path';
import { z } from 'zod';
import {
  DATABASE_NAMES,
  STAFF_ROLES,
  databaseUrlVariable,
  DEFAULT_GATEWAY_PORT,
  DEFAULT_SUBGRAPH_PORTS,
  SUBGRAPH_NAMES,
  type DatabaseName,
  type Role,
  type SubgraphName,
} from '@clinic/contracts';
import { TRACES_SAMPLERS, type KafkaConnection, type TracesSampler } from '@clinic/platform';
import { parsePracticeGroups, type PracticeGroups } from '@clinic/appointments-subgraph';
import {
  DEFAULT_HARDENING,
  DEFAULT_TRUSTED_DOCUMENTS,
  type HardeningOptions,
  type TrustedDocumentsOptions,
} from '@clinic/gateway';
import type { NotificationConfig, VaultKeyConfig } from '@clinic/patients-subgraph';
import { kafkaConnectionFromEnv } from './kafka';

/**
 * The one reader of the environment. Every variable of every service is parsed here, once, into a typed
 * `Config`; every missing or malformed variable is reported at once, by name and never by value (values
 * may be secrets), before anything starts. docs/deployment.md lists the variables.
 */

/** What one container runs: the gateway, one subgraph, or the migration job. */
export const SERVICES = ['gateway', ...SUBGRAPH_NAMES, 'migrate'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * `service`: production, one service per process chosen by SERVICE, every dependency named by a variable.
 * `all-in-one`: `npm start` and the tests, every service in this process; embedded databases and the
 * in-process bus stand in for what is not named.
 */
export type Layout = 'service' | 'all-in-one';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface KafkaSettings {
  connection: KafkaConnection;
  clientId: string;
  groupPrefix: string;
  /** Prefixed to every topic name, so environments can share one cluster (empty: one cluster each). */
  topicPrefix: string;
}

export interface AuthSettings {
  clockToleranceSeconds: number;
  maxTokenLifetimeSeconds: number;
  /** Cognito (or any OIDC issuer): keys from a JWKS URL. */
  jwks?: { url: string; issuer: string; audience: string };
  /** A fixed ES256/RS256 public key (PEM, SPKI); without it and without jwks, the development issuer. */
  publicKeyPem?: string;
  issuer?: string;
  audience?: string;
}

export interface GatewaySettings {
  port: number;
  /** Where each subgraph answers; in the all-in-one layout, the subgraphs started beside the gateway. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  auth: AuthSettings;
  hardening: HardeningOptions;
  live: { shareResolutions: boolean; maxBufferedBytes?: number; heartbeatMs?: number };
  /** docs/response-cache.md. */
  responseCache: {
    enabled: boolean;
    ttlMs?: number;
    maxEntries?: number;
    maxBytes?: number;
    sharedMaxAgeSeconds?: number;
  };
  console: 'off' | 'development' | 'admin';
  /** docs/trusted-documents.md: the mode, the roles enforce mode leaves open, and the manifest's path. */
  trustedDocuments: TrustedDocumentsOptions;
}

/** How a service stops on SIGTERM (docs/deployment.md, "Probes and graceful shutdown"). */
export interface ShutdownSettings {
  /** From SIGTERM, /readyz answers 503 while everything is still served, so balancers stop sending. */
  delayMs: number;
  /** Then the server stops accepting; requests in flight get this long before their connections close. */
  drainTimeoutMs: number;
  /** From SIGTERM, the process exits by then whatever is still stopping (under terminationGracePeriodSeconds). */
  deadlineMs: number;
}

/** OpenTelemetry tracing, from the standard OTEL_* variables (docs/tracing.md). */
export interface TracingSettings {
  /** The full OTLP/HTTP traces URL. */
  endpoint: string;
  serviceName: string;
  sampler: TracesSampler;
  samplerRatio: number;
  exportTimeoutMs: number;
  maxQueueSize: number;
  scheduledDelayMs: number;
}

export interface Config {
  layout: Layout;
  /** The one service this process runs (`service` layout); null runs them all. */
  service: ServiceName | null;
  production: boolean;
  logLevel: string;
  /** Interface to listen on: all of them in a container, loopback by default elsewhere. */
  host: string;
  /**
   * Where Prometheus scrapes `GET /metrics` (docs/metrics.md): a port of its own, never the public one;
   * the interface follows `host` unless METRICS_HOST names another. Port 0 takes any free port (tests).
   */
  metrics: { port: number; host: string };
  /** Signs each request's identity from gateway to subgraphs; null: one is made for this process. */
  internalIdentitySecret: string | null;
  /** Where schema/*.graphql and the supergraph are; null: the repository's schema/ folder. */
  schemaDir: string | null;
  /** Folder holding prisma/<database>/migrations. */
  migrationsRoot: string;
  /** Embedded databases, development keys and the notification sink (all-in-one layout). */
  dataDir: string;
  /** A database named here is a real server; the others run embedded (all-in-one layout only). */
  databaseUrls: Partial<Record<DatabaseName, string>>;
  /** First of five embedded database ports. */
  embeddedDatabasePort: number;
  /** Kafka when KAFKA_BROKERS is set; null: the in-process bus (all-in-one layout only). */
  kafka: KafkaSettings | null;
  subgraphPorts: Record<SubgraphName, number>;
  gateway: GatewaySettings;
  appointments: { holdMinutes: number; holdsPerPatient: number; practiceGroups: PracticeGroups };
  doctors: { horizonDays: number };
  /** How often the audit service verifies the whole hash chain in the background; null: never. */
  audit: { verifyIntervalMs: number | null };
  shutdown: ShutdownSettings;
  patients: {
    notifications: NotificationConfig;
    vaultKeys: VaultKeyConfig & { previousMasterKeys: string[] };
    /** Two-way SMS replies from this SNS topic (the gateway forwards /webhooks/sns); null: none. */
    smsRepliesTopicArn: string | null;
  };
  /** Null (no provider, nothing traced) unless an OTLP endpoint is named and the SDK is not disabled. */
  tracing: TracingSettings | null;
}

const defaultRoot = path.resolve(__dirname, '..', '..', '..');
/** The OpenTelemetry Prometheus exporter's port, which scrape configs expect. */
export const DEFAULT_METRICS_PORT = 9464;

/**
 * 5 s of 503 before closing (the load balancer's health check and target deregistration catch up), 20 s
 * for requests in flight (twice the subgraph timeout), and exit within 40 s: with a 10 s preStop sleep,
 * under a terminationGracePeriodSeconds of 60.
 */
export const DEFAULT_SHUTDOWN: ShutdownSettings = {
  delayMs: 5_000,
  drainTimeoutMs: 20_000,
  deadlineMs: 40_000,
};

const text = z.string().trim().min(1, 'must not be empty');
const whole = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be a whole number from ${min} to ${max}`)
        .max(max, `must be a whole number from ${min} to ${max}`),
    );
const port = whole(0, 65535);
const url = z.url('must be a URL');
const flag = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `must be one of ${values.join(', ')}` });
const MAX_LIMIT = 1_000_000_000;

/** Every variable any service reads, each optional here; what a layout requires is checked after. */
const VARIABLES = z.object({
  SERVICE: flag(SERVICES).optional(),
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: flag(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LISTEN_HOST: text.optional(),
  PORT: port.optional(),
  METRICS_PORT: port.optional(),
  METRICS_HOST: text.optional(),
  INTERNAL_IDENTITY_SECRET: z.string().trim().min(32, 'must be at least 32 characters').optional(),
  SCHEMA_DIR: text.optional(),
  MIGRATIONS_DIR: text.optional(),
  DATA_DIR: text.optional(),
  EMBEDDED_DB_PORT: port.optional(),
  SUBGRAPH_PORT_BASE: port.optional(),
  ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), text.optional()])),
  ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [subgraphUrlVariable(name), url.optional()])),
  KAFKA_CLIENT_ID: text.optional(),
  KAFKA_GROUP_PREFIX: z.string().optional(),
  KAFKA_TOPIC_PREFIX: z.string().optional(),
  JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key' }).optional(),
  JWT_ISSUER: text.optional(),
  JWT_AUDIENCE: text.optional(),
  AUTH_JWKS_URL: url.optional(),
  AUTH_ISSUER: text.optional(),
  AUTH_AUDIENCE: text.optional(),
  AUTH_CLOCK_SKEW_SECONDS: whole(0, 300).optional(),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: whole(1, 365 * 86_400).optional(),
  GATEWAY_BODY_LIMIT_BYTES: whole(1, MAX_LIMIT).optional(),
  GATEWAY_MAX_BATCH: whole(1, MAX_LIMIT).optional(),
  RATE_LIMIT_SUBJECT_PER_MINUTE: whole(1, MAX_LIMIT).optional(),
  RATE_LIMIT_IP_PER_MINUTE: whole(1, MAX_LIMIT).optional(),
  RATE_LIMIT_IP_PER_SECOND: whole(1, MAX_LIMIT).optional(),
  RATE_LIMIT_IP_BURST: whole(1, MAX_LIMIT).optional(),
  RATE_LIMIT_IP_CONCURRENT: whole(1, MAX_LIMIT).optional(),
  RATE_LIMIT_IP_QUEUED: whole(1, MAX_LIMIT).optional(),
  SUBGRAPH_TIMEOUT_MS: whole(1, MAX_LIMIT).optional(),
  GATEWAY_TRUST_PROXY: z.string().optional(),
  GATEWAY_LIVE_MAX_BUFFERED_BYTES: whole(1, MAX_LIMIT).optional(),
  GATEWAY_LIVE_HEARTBEAT_MS: whole(1, MAX_LIMIT).optional(),
  GATEWAY_LIVE_SHARING: flag(['on', 'off']).optional(),
  GATEWAY_RESPONSE_CACHE: flag(['on', 'off']).optional(),
  // At most a minute: slots that start leave searches unannounced, so an answer ages by itself.
  GATEWAY_RESPONSE_CACHE_TTL_MS: whole(1, 60_000).optional(),
  GATEWAY_RESPONSE_CACHE_MAX_ENTRIES: whole(1, MAX_LIMIT).optional(),
  GATEWAY_RESPONSE_CACHE_MAX_BYTES: whole(1024, 4 * 1024 ** 3).optional(),
  GATEWAY_RESPONSE_CACHE_SHARED_MAX_AGE_SECONDS: whole(0, 3_600).optional(),
  GATEWAY_CONSOLE: flag(['off', 'development', 'admin']).optional(),
  TRUSTED_DOCUMENTS: flag(['off', 'log', 'enforce']).optional(),
  TRUSTED_DOCUMENTS_OPEN_ROLES: z
    .string()
    .trim()
    .transform((list) => (list === 'none' ? [] : list.split(',').map((role) => role.trim())))
    .pipe(
      z.array(
        z.enum(STAFF_ROLES as [Role, ...Role[]], {
          message: `must be none or a comma-separated list of ${STAFF_ROLES.join(', ')}`,
        }),
      ),
    )
    .optional(),
  TRUSTED_DOCUMENTS_MANIFEST: text.optional(),
  DRAIN_DELAY_MS: whole(0, 300_000).optional(),
  DRAIN_TIMEOUT_MS: whole(1, 300_000).optional(),
  SHUTDOWN_TIMEOUT_MS: whole(1, 600_000).optional(),
  HOLD_MINUTES: whole(1, 24 * 60).optional(),
  HOLDS_PER_PATIENT: whole(1, 100).optional(),
  REASSIGNMENT_GROUPS: z.string().optional(),
  AVAILABILITY_HORIZON_DAYS: whole(1, 366).optional(),
  AUDIT_VERIFY_INTERVAL_MS: whole(0, 7 * 24 * 3_600_000).optional(),
  NOTIFICATIONS_SENDER: flag(['sink', 'aws']).optional(),
  SES_FROM_ADDRESS: z.email('must be an email address').optional(),
  SES_CONFIGURATION_SET: text.optional(),
  SMS_SENDER_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{1,11}$/, 'must be 1 to 11 letters or digits')
    .optional(),
  CLINIC_ALERT_EMAIL: z.email('must be an email address').optional(),
  SNS_REPLIES_TOPIC_ARN: z
    .string()
    .trim()
    .regex(/^arn:aws(-cn)?:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN')
    .optional(),
  CLINIC_DIRECTORY_URL: url.optional(),
  REMINDER_PAGE_URL: url.optional(),
  AWS_REGION: text.optional(),
  VAULT_KMS_KEY_ARN: z.string().trim().startsWith('arn:', 'must be a KMS key ARN').optional(),
  VAULT_MASTER_KEY: text.optional(),
  VAULT_PREVIOUS_MASTER_KEYS: z.string().optional(),
  VAULT_INDEX_KEY: text.optional(),
  // OpenTelemetry's own names (the specification's environment variables), so any collector's docs apply.
  OTEL_SDK_DISABLED: flag(['true', 'false']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url.optional(),
  OTEL_EXPORTER_OTLP_TIMEOUT: whole(1, MAX_LIMIT).optional(),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: whole(1, MAX_LIMIT).optional(),
  OTEL_SERVICE_NAME: text.optional(),
  OTEL_TRACES_SAMPLER: flag(TRACES_SAMPLERS).optional(),
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .trim()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a ratio from 0 to 1')
    .transform(Number)
    .optional(),
  OTEL_BSP_MAX_QUEUE_SIZE: whole(1, 1_000_000).optional(),
  OTEL_BSP_SCHEDULE_DELAY: whole(1, MAX_LIMIT).optional(),
});
type Variables = z.infer<typeof VARIABLES> & Record<string, string | number | undefined>;

export function subgraphUrlVariable(name: SubgraphName): string {
  return `SUBGRAPH_URL_${name.toUpperCase()}`;
}

/** Reads the configuration of this process from `env`; throws one ConfigError naming every problem. */
export function loadConfig(env: NodeJS.ProcessEnv, layout: Layout): Config {
  // Empty variables count as unset: a manifest's `value: ""` means "use the default".
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  // Each variable on its own, so one bad value neither hides the others' problems nor their values.
  const problems: string[] = [];
  const vars: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(VARIABLES.shape) as [string, z.ZodType][]) {
    const result = schema.safeParse(present[name]);
    if (result.success) vars[name] = result.data;
    else problems.push(`${name} ${result.error.issues[0]?.message ?? 'is not valid'}`);
  }
  const v = vars as Variables;
  // One process, one service only in production; npm start and the tests run them all whatever is exported.
  const service = layout === 'service' ? (v.SERVICE ?? null) : null;
  if (layout === 'service' && !service && !problems.some((problem) => problem.startsWith('SERVICE ')))
    problems.push(`SERVICE must be one of ${SERVICES.join(', ')}`);
  const production = v.NODE_ENV === 'production';
  const require = (name: string): string | undefined => {
    const value = v[name];
    if (value === undefined && !problems.some((problem) => problem.startsWith(`${name} `)))
      problems.push(`${name} is required`);
    return value === undefined ? undefined : String(value);
  };

  let kafka: KafkaSettings | null = null;
  try {
    const connection = kafkaConnectionFromEnv(env);
    kafka = connection && {
      connection,
      clientId: v.KAFKA_CLIENT_ID ?? (service ? `clinic-${service}` : 'clinic-scheduling'),
      groupPrefix: v.KAFKA_GROUP_PREFIX ?? '',
      topicPrefix: v.KAFKA_TOPIC_PREFIX ?? '',
    };
  } catch (error) {
    problems.push((error as Error).message);
  }

  const databaseUrls = Object.fromEntries(
    DATABASE_NAMES.flatMap((name) => {
      const value = v[databaseUrlVariable(name)];
      return value === undefined ? [] : [[name, String(value)]];
    }),
  ) as Partial<Record<DatabaseName, string>>;
  const subgraphUrls = Object.fromEntries(
    SUBGRAPH_NAMES.flatMap((name) => {
      const value = v[subgraphUrlVariable(name)];
      return value === undefined ? [] : [[name, String(value)]];
    }),
  ) as Partial<Record<SubgraphName, string>>;

  if (layout === 'service' && service) {
    const needs: readonly DatabaseName[] =
      service === 'migrate'
        ? [...DATABASE_NAMES]
        : service === 'patients'
          ? ['patients', 'pii_vault']
          : service === 'gateway'
            ? []
            : [service];
    for (const name of needs) require(databaseUrlVariable(name));
    if (service === 'gateway') {
      for (const name of SUBGRAPH_NAMES) require(subgraphUrlVariable(name));
      if (!v.AUTH_JWKS_URL) require('JWT_PUBLIC_KEY');
    }
    // Each pod is its own process: an in-process bus would silently drop every event between them.
    if (
      service !== 'gateway' &&
      service !== 'migrate' &&
      !kafka &&
      !problems.some((p) => p.startsWith('KAFKA_'))
    )
      problems.push(`KAFKA_BROKERS is required for ${service}`);
    if (service !== 'gateway' && service !== 'migrate') require('INTERNAL_IDENTITY_SECRET');
    if (service === 'gateway') require('INTERNAL_IDENTITY_SECRET');
  }
  if (v.AUTH_JWKS_URL && !(v.AUTH_ISSUER && v.AUTH_AUDIENCE))
    problems.push('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE');
  const notificationSender = v.NOTIFICATIONS_SENDER ?? (production ? undefined : 'sink');
  if ((!service || service === 'patients') && !notificationSender)
    problems.push('NOTIFICATIONS_SENDER must be set in production');
  if ((!service || service === 'patients') && notificationSender === 'aws' && !v.SES_FROM_ADDRESS)
    problems.push('SES_FROM_ADDRESS is required when NOTIFICATIONS_SENDER is aws');
  if ((!service || service === 'patients') && production) {
    if (!v.VAULT_KMS_KEY_ARN && !v.VAULT_MASTER_KEY)
      problems.push('VAULT_MASTER_KEY or VAULT_KMS_KEY_ARN must be set in production');
    if (!v.VAULT_INDEX_KEY) problems.push('VAULT_INDEX_KEY must be set in production');
  }

  const shutdown: ShutdownSettings = {
    delayMs: v.DRAIN_DELAY_MS ?? DEFAULT_SHUTDOWN.delayMs,
    drainTimeoutMs: v.DRAIN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN.drainTimeoutMs,
    deadlineMs: v.SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN.deadlineMs,
  };
  // The deadline must leave the consumers, the relay and the databases time after the drain.
  if (
    shutdown.deadlineMs < shutdown.delayMs + shutdown.drainTimeoutMs + 5_000 &&
    !problems.some((p) => /^(DRAIN_|SHUTDOWN_)/.test(p))
  )
    problems.push('SHUTDOWN_TIMEOUT_MS must be at least DRAIN_DELAY_MS + DRAIN_TIMEOUT_MS + 5000');

  let practiceGroups: PracticeGroups | null = null;
  try {
    practiceGroups = parsePracticeGroups(v.REASSIGNMENT_GROUPS);
  } catch (error) {
    problems.push((error as Error).message);
  }

  // The metrics port is reachable from the monitoring namespace only: it must never be the public one.
  const metricsPort = v.METRICS_PORT ?? DEFAULT_METRICS_PORT;
  const publicPort = v.PORT ?? (service === 'gateway' || !service ? DEFAULT_GATEWAY_PORT : undefined);
  if (metricsPort !== 0 && metricsPort === publicPort)
    problems.push('METRICS_PORT must differ from the public port (PORT)');

  if (problems.length > 0 || !practiceGroups)
    throw new ConfigError(`${service ? `SERVICE=${service}: ` : ''}${problems.join('; ')}`);

  const subgraphBase = v.SUBGRAPH_PORT_BASE;
  const trustProxy = v.GATEWAY_TRUST_PROXY;
  const onePort = v.PORT;
  const host = v.LISTEN_HOST ?? (layout === 'service' ? '0.0.0.0' : '127.0.0.1');
  return {
    layout,
    service,
    production,
    logLevel: v.LOG_LEVEL ?? 'info',
    host,
    metrics: { port: metricsPort, host: v.METRICS_HOST ?? host },
    internalIdentitySecret: v.INTERNAL_IDENTITY_SECRET ?? null,
    schemaDir: v.SCHEMA_DIR ?? null,
    migrationsRoot: v.MIGRATIONS_DIR ?? path.join(defaultRoot, 'prisma'),
    dataDir: path.resolve(v.DATA_DIR ?? '.data'),
    databaseUrls,
    embeddedDatabasePort: v.EMBEDDED_DB_PORT ?? 55432,
    kafka,
    subgraphPorts: Object.fromEntries(
      SUBGRAPH_NAMES.map((name, index) => [
        name,
        service === name && onePort !== undefined
          ? onePort
          : subgraphBase !== undefined
            ? subgraphBase && subgraphBase + index
            : DEFAULT_SUBGRAPH_PORTS[name],
      ]),
    ) as Record<SubgraphName, number>,
    gateway: {
      port: (service === 'gateway' || !service) && onePort !== undefined ? onePort : DEFAULT_GATEWAY_PORT,
      subgraphUrls,
      auth: {
        clockToleranceSeconds: v.AUTH_CLOCK_SKEW_SECONDS ?? 30,
        // Cognito's longest token lifetime, and three times a development token's 8 hours.
        maxTokenLifetimeSeconds: v.AUTH_MAX_TOKEN_LIFETIME_SECONDS ?? 86_400,
        ...(v.AUTH_JWKS_URL && v.AUTH_ISSUER && v.AUTH_AUDIENCE
          ? { jwks: { url: v.AUTH_JWKS_URL, issuer: v.AUTH_ISSUER, audience: v.AUTH_AUDIENCE } }
          : {}),
        ...(v.JWT_PUBLIC_KEY && !v.AUTH_JWKS_URL ? { publicKeyPem: v.JWT_PUBLIC_KEY.trim() } : {}),
        ...(v.JWT_ISSUER ? { issuer: v.JWT_ISSUER } : {}),
        ...(v.JWT_AUDIENCE ? { audience: v.JWT_AUDIENCE } : {}),
      },
      hardening: {
        mode: production ? 'production' : 'development',
        bodyLimitBytes: v.GATEWAY_BODY_LIMIT_BYTES ?? DEFAULT_HARDENING.bodyLimitBytes,
        maxBatchSize: v.GATEWAY_MAX_BATCH ?? DEFAULT_HARDENING.maxBatchSize,
        subjectRequestsPerMinute:
          v.RATE_LIMIT_SUBJECT_PER_MINUTE ?? DEFAULT_HARDENING.subjectRequestsPerMinute,
        ipRequestsPerMinute: v.RATE_LIMIT_IP_PER_MINUTE ?? DEFAULT_HARDENING.ipRequestsPerMinute,
        ipRequestsPerSecond: v.RATE_LIMIT_IP_PER_SECOND ?? DEFAULT_HARDENING.ipRequestsPerSecond,
        ipBurst: v.RATE_LIMIT_IP_BURST ?? DEFAULT_HARDENING.ipBurst,
        ipConcurrentRequests: v.RATE_LIMIT_IP_CONCURRENT ?? DEFAULT_HARDENING.ipConcurrentRequests,
        ipQueuedRequests: v.RATE_LIMIT_IP_QUEUED ?? DEFAULT_HARDENING.ipQueuedRequests,
        subgraphTimeoutMs: v.SUBGRAPH_TIMEOUT_MS ?? DEFAULT_HARDENING.subgraphTimeoutMs,
        trustProxy:
          trustProxy === undefined
            ? false
            : /^\d+$/.test(trustProxy)
              ? Number(trustProxy)
              : trustProxy === 'true' || trustProxy,
      },
      live: {
        shareResolutions: v.GATEWAY_LIVE_SHARING !== 'off',
        ...(v.GATEWAY_LIVE_MAX_BUFFERED_BYTES ? { maxBufferedBytes: v.GATEWAY_LIVE_MAX_BUFFERED_BYTES } : {}),
        ...(v.GATEWAY_LIVE_HEARTBEAT_MS ? { heartbeatMs: v.GATEWAY_LIVE_HEARTBEAT_MS } : {}),
      },
      responseCache: {
        enabled: v.GATEWAY_RESPONSE_CACHE !== 'off',
        ...(v.GATEWAY_RESPONSE_CACHE_TTL_MS ? { ttlMs: v.GATEWAY_RESPONSE_CACHE_TTL_MS } : {}),
        ...(v.GATEWAY_RESPONSE_CACHE_MAX_ENTRIES ? { maxEntries: v.GATEWAY_RESPONSE_CACHE_MAX_ENTRIES } : {}),
        ...(v.GATEWAY_RESPONSE_CACHE_MAX_BYTES ? { maxBytes: v.GATEWAY_RESPONSE_CACHE_MAX_BYTES } : {}),
        ...(v.GATEWAY_RESPONSE_CACHE_SHARED_MAX_AGE_SECONDS !== undefined
          ? { sharedMaxAgeSeconds: v.GATEWAY_RESPONSE_CACHE_SHARED_MAX_AGE_SECONDS }
          : {}),
      },
      // Development everywhere but production, where GATEWAY_CONSOLE=admin serves it without token issuing.
      console: production
        ? v.GATEWAY_CONSOLE === 'admin'
          ? 'admin'
          : 'off'
        : v.GATEWAY_CONSOLE === 'off'
          ? 'off'
          : 'development',
      trustedDocuments: {
        mode: v.TRUSTED_DOCUMENTS ?? DEFAULT_TRUSTED_DOCUMENTS.mode,
        openRoles: v.TRUSTED_DOCUMENTS_OPEN_ROLES ?? DEFAULT_TRUSTED_DOCUMENTS.openRoles,
        ...(v.TRUSTED_DOCUMENTS_MANIFEST ? { manifest: v.TRUSTED_DOCUMENTS_MANIFEST } : {}),
      },
    },
    appointments: {
      holdMinutes: v.HOLD_MINUTES ?? 10,
      holdsPerPatient: v.HOLDS_PER_PATIENT ?? 2,
      practiceGroups,
    },
    doctors: { horizonDays: v.AVAILABILITY_HORIZON_DAYS ?? 60 },
    audit: {
      verifyIntervalMs: v.AUDIT_VERIFY_INTERVAL_MS === 0 ? null : (v.AUDIT_VERIFY_INTERVAL_MS ?? 3_600_000),
    },
    shutdown,
    patients: {
      smsRepliesTopicArn: v.SNS_REPLIES_TOPIC_ARN ?? null,
      notifications: {
        sender: notificationSender ?? 'sink',
        ...(v.SES_FROM_ADDRESS ? { sesFromAddress: v.SES_FROM_ADDRESS } : {}),
        ...(v.SES_CONFIGURATION_SET ? { sesConfigurationSet: v.SES_CONFIGURATION_SET } : {}),
        ...(v.SMS_SENDER_ID ? { smsSenderId: v.SMS_SENDER_ID } : {}),
        ...(v.CLINIC_ALERT_EMAIL ? { clinicAlertEmail: v.CLINIC_ALERT_EMAIL } : {}),
        ...(v.CLINIC_DIRECTORY_URL ? { directoryUrl: v.CLINIC_DIRECTORY_URL } : {}),
        ...(v.REMINDER_PAGE_URL ? { reminderPageUrl: v.REMINDER_PAGE_URL } : {}),
        ...(v.AWS_REGION ? { awsRegion: v.AWS_REGION } : {}),
      },
      vaultKeys: {
        ...(v.VAULT_KMS_KEY_ARN ? { kmsKeyArn: v.VAULT_KMS_KEY_ARN } : {}),
        ...(v.VAULT_MASTER_KEY ? { masterKey: v.VAULT_MASTER_KEY } : {}),
        previousMasterKeys: (v.VAULT_PREVIOUS_MASTER_KEYS ?? '')
          .split(',')
          .map((spec) => spec.trim())
          .filter(Boolean),
        ...(v.VAULT_INDEX_KEY ? { indexKey: v.VAULT_INDEX_KEY } : {}),
      },
    },
    tracing: tracingOf(v, service),
  };
}

/**
 * The specification's rules: the traces endpoint is used as it is; the general one gets /v1/traces
 * appended; the ratio samplers default to 1. Off without an endpoint, or with OTEL_SDK_DISABLED=true.
 */
function tracingOf(v: Variables, service: ServiceName | null): TracingSettings | null {
  const base = v.OTEL_EXPORTER_OTLP_ENDPOINT;
  const endpoint =
    v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!endpoint || v.OTEL_SDK_DISABLED === 'true') return null;
  return {
    endpoint,
    serviceName: v.OTEL_SERVICE_NAME ?? service ?? 'clinic',
    sampler: v.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    samplerRatio: v.OTEL_TRACES_SAMPLER_ARG ?? 1,
    exportTimeoutMs: v.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? v.OTEL_EXPORTER_OTLP_TIMEOUT ?? 10_000,
    maxQueueSize: v.OTEL_BSP_MAX_QUEUE_SIZE ?? 2_048,
    scheduledDelayMs: v.OTEL_BSP_SCHEDULE_DELAY ?? 1_000,
  };
}
