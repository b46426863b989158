import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { loadConfig, type Config } from './config';

const publicKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();
const secret = randomBytes(32).toString('base64url');

const subgraphUrls = {
  SUBGRAPH_URL_DOCTORS: 'http://doctors:4001/graphql',
  SUBGRAPH_URL_APPOINTMENTS: 'http://appointments:4002/graphql',
  SUBGRAPH_URL_PATIENTS: 'http://patients:4003/graphql',
  SUBGRAPH_URL_AUDIT: 'http://audit:4004/graphql',
};
const service = (env: NodeJS.ProcessEnv): Config => loadConfig(env, 'service');
const allInOne = (env: NodeJS.ProcessEnv): Config => loadConfig(env, 'all-in-one');

describe('loadConfig, one service per process (production)', () => {
  it('needs SERVICE to name one of the services, and never repeats what was typed', () => {
    expect(() => service({})).toThrow(
      'SERVICE must be one of gateway, doctors, appointments, patients, audit, migrate',
    );
    expect(() => service({ SERVICE: 'billing-canary' })).toThrow(/SERVICE must be one of/);
    expect(() => service({ SERVICE: 'billing-canary' })).not.toThrow(/canary/);
  });

  it('configures the gateway from subgraph URLs and the token public key, on all interfaces', () => {
    const config = service({
      SERVICE: 'gateway',
      JWT_PUBLIC_KEY: publicKeyPem,
      INTERNAL_IDENTITY_SECRET: secret,
      ...subgraphUrls,
    });
    expect(config).toMatchObject({
      service: 'gateway',
      host: '0.0.0.0',
      logLevel: 'info',
      kafka: null,
      gateway: {
        port: 4000,
        subgraphUrls: {
          doctors: 'http://doctors:4001/graphql',
          appointments: 'http://appointments:4002/graphql',
          patients: 'http://patients:4003/graphql',
          audit: 'http://audit:4004/graphql',
        },
        auth: {
          publicKeyPem: publicKeyPem.trim(),
          clockToleranceSeconds: 30,
          maxTokenLifetimeSeconds: 86_400,
        },
      },
    });
  });

  it('verifies Cognito tokens by JWKS instead of a fixed key, and feeds live updates from Kafka', () => {
    const config = service({
      SERVICE: 'gateway',
      AUTH_JWKS_URL: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool/.well-known/jwks.json',
      AUTH_ISSUER: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool',
      AUTH_AUDIENCE: 'client-id',
      AUTH_CLOCK_SKEW_SECONDS: '5',
      KAFKA_BROKERS: 'b-1:9098',
      KAFKA_SASL_MECHANISM: 'aws-iam',
      AWS_REGION: 'ap-southeast-2',
      INTERNAL_IDENTITY_SECRET: secret,
      ...subgraphUrls,
    });
    expect(config).toMatchObject({
      service: 'gateway',
      kafka: { clientId: 'clinic-gateway' },
      gateway: {
        auth: {
          jwks: {
            url: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool/.well-known/jwks.json',
            issuer: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool',
            audience: 'client-id',
          },
          clockToleranceSeconds: 5,
        },
      },
    });
    expect(config.gateway.auth).not.toHaveProperty('publicKeyPem');
    expect(() =>
      service({
        SERVICE: 'gateway',
        AUTH_JWKS_URL: 'https://example.com/jwks.json',
        INTERNAL_IDENTITY_SECRET: secret,
        ...subgraphUrls,
      }),
    ).toThrow('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE');
  });

  it('lists every missing or malformed variable at once', () => {
    expect(() => service({ SERVICE: 'gateway', JWT_PUBLIC_KEY: 'not a key' })).toThrow(
      'SERVICE=gateway: JWT_PUBLIC_KEY must be a PEM public key; SUBGRAPH_URL_DOCTORS is required; ' +
        'SUBGRAPH_URL_APPOINTMENTS is required; SUBGRAPH_URL_PATIENTS is required; SUBGRAPH_URL_AUDIT is required; ' +
        'INTERNAL_IDENTITY_SECRET is required',
    );
  });

  it('never puts a value in its messages: a secret typed into the wrong variable stays out of the logs', () => {
    const canary = 'canary-7f3a9c-secret-value';
    const attempt = () =>
      service({
        SERVICE: 'patients',
        PORT: canary,
        HOLD_MINUTES: canary,
        GATEWAY_LIVE_SHARING: canary,
        SES_FROM_ADDRESS: canary,
        VAULT_KMS_KEY_ARN: canary,
        AUTH_CLOCK_SKEW_SECONDS: canary,
        INTERNAL_IDENTITY_SECRET: 'short',
      });
    expect(attempt).toThrow(/PORT must be a whole number from 0 to 65535/);
    expect(attempt).toThrow(/INTERNAL_IDENTITY_SECRET must be at least 32 characters/);
    expect(attempt).not.toThrow(/canary|short/);
  });

  it('drains on SIGTERM within bounds: 5 s of 503, 20 s for requests in flight, exit by 40 s, each configurable', () => {
    const gateway = { SERVICE: 'gateway', JWT_PUBLIC_KEY: publicKeyPem, INTERNAL_IDENTITY_SECRET: secret };
    expect(service({ ...gateway, ...subgraphUrls }).shutdown).toEqual({
      delayMs: 5_000,
      drainTimeoutMs: 20_000,
      deadlineMs: 40_000,
    });
    expect(
      service({
        ...gateway,
        ...subgraphUrls,
        DRAIN_DELAY_MS: '0',
        DRAIN_TIMEOUT_MS: '3000',
        SHUTDOWN_TIMEOUT_MS: '8000',
      }).shutdown,
    ).toEqual({ delayMs: 0, drainTimeoutMs: 3_000, deadlineMs: 8_000 });
    // A deadline that leaves nothing for the consumers, the relay and the databases after the drain.
    expect(() =>
      service({ ...gateway, ...subgraphUrls, DRAIN_TIMEOUT_MS: '30000', SHUTDOWN_TIMEOUT_MS: '30000' }),
    ).toThrow('SHUTDOWN_TIMEOUT_MS must be at least DRAIN_DELAY_MS + DRAIN_TIMEOUT_MS + 5000');
    expect(() => service({ ...gateway, ...subgraphUrls, DRAIN_TIMEOUT_MS: '0' })).toThrow(
      /DRAIN_TIMEOUT_MS must be a whole number from 1 to 300000/,
    );
    expect(() => service({ ...gateway, ...subgraphUrls, DRAIN_DELAY_MS: '5s' })).toThrow(
      /DRAIN_DELAY_MS must be a whole number from 0 to 300000/,
    );
  });

  it('gives patients its own database and the vault, and nothing else', () => {
    const config = service({
      SERVICE: 'patients',
      PORT: '8080',
      DATABASE_URL_PATIENTS: 'postgresql://patients.example/patients',
      DATABASE_URL_PII_VAULT: 'postgresql://vault.example/pii_vault',
      KAFKA_BROKERS: 'b-1:9092',
      INTERNAL_IDENTITY_SECRET: secret,
    });
    expect(config).toMatchObject({
      service: 'patients',
      subgraphPorts: { patients: 8080 },
      databaseUrls: {
        patients: 'postgresql://patients.example/patients',
        pii_vault: 'postgresql://vault.example/pii_vault',
      },
    });
    expect(() =>
      service({
        SERVICE: 'patients',
        DATABASE_URL_PATIENTS: 'postgresql://patients.example/p',
        KAFKA_BROKERS: 'b-1:9092',
        INTERNAL_IDENTITY_SECRET: secret,
      }),
    ).toThrow('DATABASE_URL_PII_VAULT is required');
  });

  it('in production, wants the notification sender and the vault keys named', () => {
    const base = {
      SERVICE: 'patients',
      NODE_ENV: 'production',
      DATABASE_URL_PATIENTS: 'postgresql://patients.example/patients',
      DATABASE_URL_PII_VAULT: 'postgresql://vault.example/pii_vault',
      KAFKA_BROKERS: 'b-1:9092',
      INTERNAL_IDENTITY_SECRET: secret,
    };
    expect(() => service(base)).toThrow(
      'NOTIFICATIONS_SENDER must be set in production; VAULT_MASTER_KEY or VAULT_KMS_KEY_ARN must be set in production; VAULT_INDEX_KEY must be set in production',
    );
    expect(() => service({ ...base, NOTIFICATIONS_SENDER: 'aws' })).toThrow(
      'SES_FROM_ADDRESS is required when NOTIFICATIONS_SENDER is aws',
    );
    const config = service({
      ...base,
      NOTIFICATIONS_SENDER: 'aws',
      SES_FROM_ADDRESS: 'appointments@example.com',
      AWS_REGION: 'ap-southeast-2',
      VAULT_KMS_KEY_ARN: 'arn:aws:kms:ap-southeast-2:111122223333:key/abc',
      VAULT_PREVIOUS_MASTER_KEYS: ' kms:arn:aws:kms:ap-southeast-2:111122223333:key/old , ',
      VAULT_INDEX_KEY: randomBytes(32).toString('base64'),
    });
    expect(config.patients).toMatchObject({
      notifications: {
        sender: 'aws',
        sesFromAddress: 'appointments@example.com',
        awsRegion: 'ap-southeast-2',
      },
      vaultKeys: {
        kmsKeyArn: 'arn:aws:kms:ap-southeast-2:111122223333:key/abc',
        previousMasterKeys: ['kms:arn:aws:kms:ap-southeast-2:111122223333:key/old'],
      },
    });
  });

  it('requires Kafka for the services that exchange events, with MSK IAM read from the same variables', () => {
    expect(() =>
      service({
        SERVICE: 'audit',
        DATABASE_URL_AUDIT: 'postgresql://db.example/audit',
        INTERNAL_IDENTITY_SECRET: secret,
      }),
    ).toThrow('KAFKA_BROKERS is required for audit');
    const config = service({
      SERVICE: 'appointments',
      DATABASE_URL_APPOINTMENTS: 'postgresql://db.example/appointments',
      KAFKA_BROKERS: 'b-1.msk.example:9098',
      KAFKA_SASL_MECHANISM: 'aws-iam',
      AWS_REGION: 'ap-southeast-2',
      KAFKA_GROUP_PREFIX: 'dev-',
      INTERNAL_IDENTITY_SECRET: secret,
    });
    expect(config).toMatchObject({
      service: 'appointments',
      subgraphPorts: { appointments: 4002 },
      kafka: {
        clientId: 'clinic-appointments',
        groupPrefix: 'dev-',
        connection: { brokers: ['b-1.msk.example:9098'], ssl: true, sasl: { mechanism: 'oauthbearer' } },
      },
    });
    expect(() =>
      service({
        SERVICE: 'audit',
        DATABASE_URL_AUDIT: 'postgresql://db.example/audit',
        KAFKA_BROKERS: 'b-1:9098',
        KAFKA_SASL_MECHANISM: 'aws-iam',
        INTERNAL_IDENTITY_SECRET: secret,
      }),
    ).toThrow('KAFKA_SASL_MECHANISM=aws-iam needs AWS_REGION');
  });

  it('migrates all five databases from MIGRATIONS_DIR', () => {
    const urls = {
      DATABASE_URL_DOCTORS: 'postgresql://db.example/doctors',
      DATABASE_URL_APPOINTMENTS: 'postgresql://db.example/appointments',
      DATABASE_URL_PATIENTS: 'postgresql://db.example/patients',
      DATABASE_URL_PII_VAULT: 'postgresql://vault.example/pii_vault',
      DATABASE_URL_AUDIT: 'postgresql://db.example/audit',
    };
    expect(service({ SERVICE: 'migrate', MIGRATIONS_DIR: '/app/prisma', ...urls })).toMatchObject({
      service: 'migrate',
      migrationsRoot: '/app/prisma',
      databaseUrls: {
        pii_vault: 'postgresql://vault.example/pii_vault',
        audit: 'postgresql://db.example/audit',
      },
    });
    expect(() => service({ SERVICE: 'migrate', ...urls, DATABASE_URL_AUDIT: '' })).toThrow(
      'SERVICE=migrate: DATABASE_URL_AUDIT is required',
    );
  });
});

describe('loadConfig, everything in one process (npm start, tests)', () => {
  it('needs nothing: embedded databases, the in-process bus, development mode and the limits production uses', () => {
    const config = allInOne({});
    expect(config).toMatchObject({
      service: null,
      host: '127.0.0.1',
      kafka: null,
      databaseUrls: {},
      internalIdentitySecret: null,
      subgraphPorts: { doctors: 4001, appointments: 4002, patients: 4003, audit: 4004 },
      appointments: { holdMinutes: 10, holdsPerPatient: 2 },
      doctors: { horizonDays: 60 },
      patients: { notifications: { sender: 'sink' }, vaultKeys: { previousMasterKeys: [] } },
      gateway: {
        port: 4000,
        console: 'development',
        live: { shareResolutions: true },
        hardening: {
          mode: 'development',
          bodyLimitBytes: 100 * 1024,
          maxBatchSize: 10,
          subjectRequestsPerMinute: 600,
          ipRequestsPerMinute: 1200,
          ipRequestsPerSecond: 40,
          ipBurst: 8,
          ipConcurrentRequests: 4,
          ipQueuedRequests: 32,
          subgraphTimeoutMs: 10_000,
          trustProxy: false,
        },
      },
    });
  });

  it('reads production mode, every gateway limit, the proxy setting, live updates and the console', () => {
    const config = allInOne({
      NODE_ENV: 'production',
      NOTIFICATIONS_SENDER: 'sink',
      VAULT_MASTER_KEY: randomBytes(32).toString('base64'),
      VAULT_INDEX_KEY: randomBytes(32).toString('base64'),
      GATEWAY_BODY_LIMIT_BYTES: '2048',
      GATEWAY_MAX_BATCH: '3',
      RATE_LIMIT_SUBJECT_PER_MINUTE: '60',
      RATE_LIMIT_IP_PER_MINUTE: '120',
      RATE_LIMIT_IP_PER_SECOND: '5',
      RATE_LIMIT_IP_BURST: '3',
      RATE_LIMIT_IP_CONCURRENT: '2',
      RATE_LIMIT_IP_QUEUED: '8',
      SUBGRAPH_TIMEOUT_MS: '2500',
      GATEWAY_TRUST_PROXY: '1',
      GATEWAY_LIVE_SHARING: 'off',
      GATEWAY_LIVE_HEARTBEAT_MS: '5000',
      GATEWAY_CONSOLE: 'admin',
    });
    expect(config.gateway.hardening).toEqual({
      mode: 'production',
      bodyLimitBytes: 2048,
      maxBatchSize: 3,
      subjectRequestsPerMinute: 60,
      ipRequestsPerMinute: 120,
      ipRequestsPerSecond: 5,
      ipBurst: 3,
      ipConcurrentRequests: 2,
      ipQueuedRequests: 8,
      subgraphTimeoutMs: 2500,
      trustProxy: 1,
    });
    expect(config.gateway.live).toEqual({ shareResolutions: false, heartbeatMs: 5000 });
    expect(config.gateway.console).toBe('admin');
    expect(allInOne({ GATEWAY_CONSOLE: 'off' }).gateway.console).toBe('off');
  });

  it('reads the trusted documents: log by default with the system administrator open; enforce with named staff roles', () => {
    expect(allInOne({}).gateway.trustedDocuments).toEqual({
      mode: 'log',
      openRoles: ['SystemAdministrator'],
    });
    expect(
      allInOne({
        TRUSTED_DOCUMENTS: 'enforce',
        TRUSTED_DOCUMENTS_OPEN_ROLES: 'SystemAdministrator, PracticeManager',
        TRUSTED_DOCUMENTS_MANIFEST: '/app/clients/persisted-documents.json',
      }).gateway.trustedDocuments,
    ).toEqual({
      mode: 'enforce',
      openRoles: ['SystemAdministrator', 'PracticeManager'],
      manifest: '/app/clients/persisted-documents.json',
    });
    expect(allInOne({ TRUSTED_DOCUMENTS_OPEN_ROLES: 'none' }).gateway.trustedDocuments.openRoles).toEqual([]);
  });

  it('refuses a trusted documents mode it does not know, and open roles that are not staff', () => {
    expect(() => allInOne({ TRUSTED_DOCUMENTS: 'strict' })).toThrow(
      /TRUSTED_DOCUMENTS must be one of off, log, enforce/,
    );
    for (const roles of ['Patient', 'SystemAdministrator,Root', 'sysadmin'])
      expect(() => allInOne({ TRUSTED_DOCUMENTS_OPEN_ROLES: roles })).toThrow(
        /TRUSTED_DOCUMENTS_OPEN_ROLES must be none or a comma-separated list of Doctor, ClinicAdmin/,
      );
  });

  it('refuses a limit that is not a positive whole number, and a token lifetime that is not sane', () => {
    for (const [name, value] of [
      ['GATEWAY_MAX_BATCH', '0'],
      ['RATE_LIMIT_IP_PER_MINUTE', 'lots'],
      ['RATE_LIMIT_IP_PER_SECOND', '1.5'],
      ['AUTH_CLOCK_SKEW_SECONDS', '301'],
      ['AUTH_MAX_TOKEN_LIFETIME_SECONDS', 'a day'],
      ['AUTH_MAX_TOKEN_LIFETIME_SECONDS', '0'],
      ['AUTH_MAX_TOKEN_LIFETIME_SECONDS', '-5'],
      ['AUTH_MAX_TOKEN_LIFETIME_SECONDS', '1e5'],
      ['AUTH_MAX_TOKEN_LIFETIME_SECONDS', '31536001'],
      ['AVAILABILITY_HORIZON_DAYS', '0'],
      ['AVAILABILITY_HORIZON_DAYS', '367'],
      ['HOLD_MINUTES', '0'],
      ['HOLDS_PER_PATIENT', 'two'],
    ] as const)
      expect(() => allInOne({ [name]: value })).toThrow(new RegExp(`^${name} must be a whole number`));
    expect(allInOne({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' }).gateway.auth.maxTokenLifetimeSeconds).toBe(
      3600,
    );
    expect(allInOne({ AVAILABILITY_HORIZON_DAYS: '90' }).doctors.horizonDays).toBe(90);
  });

  it('reads practice groups for re-assignment, and refuses groups that are not clinic ids', () => {
    const [a, b] = ['0b7f7d4e-5d1c-4a8e-9a55-0d9a3c1e2f10', '7e1f7c9a-3b2d-4c5e-8f90-1a2b3c4d5e6f'];
    const config = allInOne({ REASSIGNMENT_GROUPS: JSON.stringify([[a, b]]) });
    expect(config.appointments.practiceGroups.of(a)).toEqual([a, b]);
    expect(() => allInOne({ REASSIGNMENT_GROUPS: '[[1]]' })).toThrow(/^REASSIGNMENT_GROUPS must be/);
  });

  it('runs every service whatever SERVICE a shell exports: only production runs one', () => {
    expect(allInOne({ SERVICE: 'doctors' }).service).toBeNull();
  });

  it('takes real databases and a broker where they are named, and free ports from base 0', () => {
    const config = allInOne({
      DATABASE_URL_AUDIT: 'postgresql://db.example/audit',
      KAFKA_BROKERS: '127.0.0.1:9092',
      PORT: '0',
      SUBGRAPH_PORT_BASE: '0',
    });
    expect(config.databaseUrls).toEqual({ audit: 'postgresql://db.example/audit' });
    expect(config.kafka).toMatchObject({
      clientId: 'clinic-scheduling',
      connection: { brokers: ['127.0.0.1:9092'] },
    });
    expect(config.gateway.port).toBe(0);
    expect(config.subgraphPorts).toEqual({ doctors: 0, appointments: 0, patients: 0, audit: 0 });
  });
});

describe('loadConfig, the audit chain watch', () => {
  it('verifies the chain hourly unless told otherwise, and never with 0', () => {
    expect(allInOne({}).audit).toEqual({ verifyIntervalMs: 3_600_000 });
    expect(allInOne({ AUDIT_VERIFY_INTERVAL_MS: '60000' }).audit).toEqual({ verifyIntervalMs: 60_000 });
    expect(allInOne({ AUDIT_VERIFY_INTERVAL_MS: '0' }).audit).toEqual({ verifyIntervalMs: null });
    expect(() => allInOne({ AUDIT_VERIFY_INTERVAL_MS: 'hourly' })).toThrow(/^AUDIT_VERIFY_INTERVAL_MS/);
  });
});

describe('loadConfig, the metrics port', () => {
  const gateway = { SERVICE: 'gateway', JWT_PUBLIC_KEY: publicKeyPem, INTERNAL_IDENTITY_SECRET: secret };

  it('serves metrics on 9464 on the same interface as the service, unless told otherwise', () => {
    expect(service({ ...gateway, ...subgraphUrls }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(allInOne({}).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(allInOne({ LISTEN_HOST: '10.0.0.5' }).metrics).toEqual({ port: 9464, host: '10.0.0.5' });
    expect(allInOne({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.2' }).metrics).toEqual({
      port: 0,
      host: '127.0.0.2',
    });
  });

  it('refuses a metrics port that is not a port, or that is the public GraphQL port', () => {
    expect(() => allInOne({ METRICS_PORT: '70000' })).toThrow(/^METRICS_PORT must be a whole number/);
    expect(() => allInOne({ METRICS_PORT: '4000' })).toThrow(
      'METRICS_PORT must differ from the public port (PORT)',
    );
    expect(() => service({ ...gateway, ...subgraphUrls, PORT: '8080', METRICS_PORT: '8080' })).toThrow(
      'METRICS_PORT must differ from the public port (PORT)',
    );
    // Both free ports (tests): no clash.
    expect(allInOne({ PORT: '0', METRICS_PORT: '0' }).metrics.port).toBe(0);
  });
});

describe('loadConfig, OpenTelemetry tracing (the standard OTEL_* variables)', () => {
  const appointments = {
    SERVICE: 'appointments',
    DATABASE_URL_APPOINTMENTS: 'postgresql://db/appointments',
    KAFKA_BROKERS: 'kafka:9092',
    INTERNAL_IDENTITY_SECRET: secret,
  };

  it('is off without an endpoint, so npm start pays nothing for it', () => {
    expect(allInOne({}).tracing).toBeNull();
    expect(allInOne({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }).tracing).toBeNull();
  });

  it('appends /v1/traces to the general endpoint, takes the traces endpoint as it is, and names the service', () => {
    expect(
      service({ ...appointments, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing,
    ).toEqual({
      endpoint: 'http://collector:4318/v1/traces',
      serviceName: 'appointments',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      exportTimeoutMs: 10_000,
      maxQueueSize: 2_048,
      scheduledDelayMs: 1_000,
    });
    expect(
      allInOne({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://adot.internal/v1/traces',
      }).tracing,
    ).toMatchObject({ endpoint: 'https://adot.internal/v1/traces', serviceName: 'clinic' });
  });

  it('reads the service name, the sampler and its ratio, the export timeout and the queue', () => {
    expect(
      service({
        ...appointments,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_SERVICE_NAME: 'clinic-appointments',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
        OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000',
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      }).tracing,
    ).toEqual({
      endpoint: 'http://collector:4318/v1/traces',
      serviceName: 'clinic-appointments',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.1,
      exportTimeoutMs: 2000,
      maxQueueSize: 100,
      scheduledDelayMs: 200,
    });
  });

  it('is off when OTEL_SDK_DISABLED=true, whatever else is set', () => {
    expect(
      allInOne({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing,
    ).toBeNull();
    expect(
      allInOne({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'false' }).tracing,
    ).not.toBeNull();
  });

  it('refuses a malformed endpoint, sampler or ratio by the variable name, never echoing the value', () => {
    const attempt = () =>
      allInOne({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url secret-token-123',
        OTEL_TRACES_SAMPLER: 'sometimes-secret-token-123',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
        OTEL_SDK_DISABLED: 'yes',
      });
    expect(attempt).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be a URL/);
    expect(attempt).toThrow(/OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio/);
    expect(attempt).toThrow(/OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1/);
    expect(attempt).toThrow(/OTEL_SDK_DISABLED must be one of true, false/);
    expect(attempt).not.toThrow(/secret-token-123|1\.5/);
  });
});
