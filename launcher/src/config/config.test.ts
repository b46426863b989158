import { generateKeyPairSync } from 'node:crypto';
import { serviceConfigFromEnv } from './service-config';

const publicKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

const subgraphUrls = {
  SUBGRAPH_URL_DOCTORS: 'http://doctors:4001/graphql',
  SUBGRAPH_URL_APPOINTMENTS: 'http://appointments:4002/graphql',
  SUBGRAPH_URL_PATIENTS: 'http://patients:4003/graphql',
  SUBGRAPH_URL_AUDIT: 'http://audit:4004/graphql',
};

describe('serviceConfigFromEnv', () => {
  it('needs SERVICE to name one of the services', () => {
    expect(() => serviceConfigFromEnv({})).toThrow(
      'SERVICE must be one of gateway, doctors, appointments, patients, audit, migrate',
    );
    expect(() => serviceConfigFromEnv({ SERVICE: 'billing' })).toThrow(/not "billing"/);
  });

  it('configures the gateway from subgraph URLs and the token public key, on all interfaces', () => {
    expect(
      serviceConfigFromEnv({ SERVICE: 'gateway', JWT_PUBLIC_KEY: publicKeyPem, ...subgraphUrls }),
    ).toEqual({
      service: 'gateway',
      host: '0.0.0.0',
      logLevel: 'info',
      port: 4000,
      subgraphs: {
        doctors: 'http://doctors:4001/graphql',
        appointments: 'http://appointments:4002/graphql',
        patients: 'http://patients:4003/graphql',
        audit: 'http://audit:4004/graphql',
      },
      jwtPublicKeyPem: publicKeyPem.trim(),
    });
  });

  it('verifies Cognito tokens by JWKS instead of a fixed key, and feeds live updates from Kafka', () => {
    const config = serviceConfigFromEnv({
      SERVICE: 'gateway',
      AUTH_JWKS_URL: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool/.well-known/jwks.json',
      AUTH_ISSUER: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool',
      AUTH_AUDIENCE: 'client-id',
      KAFKA_BROKERS: 'b-1:9098',
      KAFKA_SASL_MECHANISM: 'aws-iam',
      AWS_REGION: 'ap-southeast-2',
      ...subgraphUrls,
    });
    expect(config).toMatchObject({ service: 'gateway', kafka: { clientId: 'clinic-gateway' } });
    expect(config).not.toHaveProperty('jwtPublicKeyPem');
    expect(() =>
      serviceConfigFromEnv({
        SERVICE: 'gateway',
        AUTH_JWKS_URL: 'https://example.com/jwks.json',
        ...subgraphUrls,
      }),
    ).toThrow('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE');
  });

  it('lists every missing variable at once', () => {
    expect(() => serviceConfigFromEnv({ SERVICE: 'gateway', JWT_PUBLIC_KEY: 'not a key' })).toThrow(
      'SERVICE=gateway: SUBGRAPH_URL_DOCTORS is required; SUBGRAPH_URL_APPOINTMENTS is required; ' +
        'SUBGRAPH_URL_PATIENTS is required; SUBGRAPH_URL_AUDIT is required; JWT_PUBLIC_KEY must be a PEM public key',
    );
  });

  it('gives patients its own database and the vault, and nothing else', () => {
    expect(
      serviceConfigFromEnv({
        SERVICE: 'patients',
        PORT: '8080',
        DATABASE_URL_PATIENTS: 'postgresql://patients.example/patients',
        DATABASE_URL_PII_VAULT: 'postgresql://vault.example/pii_vault',
        KAFKA_BROKERS: 'b-1:9092',
      }),
    ).toMatchObject({
      service: 'patients',
      port: 8080,
      databaseUrl: 'postgresql://patients.example/patients',
      vaultDatabaseUrl: 'postgresql://vault.example/pii_vault',
    });
    expect(() =>
      serviceConfigFromEnv({ SERVICE: 'patients', DATABASE_URL_PATIENTS: 'postgresql://patients.example/p' }),
    ).toThrow('DATABASE_URL_PII_VAULT is required');
  });

  it('requires Kafka for the services that exchange events, with MSK IAM read from the same variables', () => {
    expect(() =>
      serviceConfigFromEnv({ SERVICE: 'audit', DATABASE_URL_AUDIT: 'postgresql://db.example/audit' }),
    ).toThrow('KAFKA_BROKERS is required for audit');
    const config = serviceConfigFromEnv({
      SERVICE: 'appointments',
      DATABASE_URL_APPOINTMENTS: 'postgresql://db.example/appointments',
      KAFKA_BROKERS: 'b-1.msk.example:9098',
      KAFKA_SASL_MECHANISM: 'aws-iam',
      AWS_REGION: 'ap-southeast-2',
      KAFKA_GROUP_PREFIX: 'dev-',
    });
    expect(config).toMatchObject({
      service: 'appointments',
      port: 4002,
      kafka: {
        clientId: 'clinic-appointments',
        groupPrefix: 'dev-',
        connection: { brokers: ['b-1.msk.example:9098'], ssl: true, sasl: { mechanism: 'oauthbearer' } },
      },
    });
    expect(() =>
      serviceConfigFromEnv({
        SERVICE: 'audit',
        DATABASE_URL_AUDIT: 'postgresql://db.example/audit',
        KAFKA_BROKERS: 'b-1:9098',
        KAFKA_SASL_MECHANISM: 'aws-iam',
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
    expect(
      serviceConfigFromEnv({ SERVICE: 'migrate', MIGRATIONS_DIR: '/app/prisma', ...urls }),
    ).toMatchObject({
      service: 'migrate',
      migrationsRoot: '/app/prisma',
      databaseUrls: {
        pii_vault: 'postgresql://vault.example/pii_vault',
        audit: 'postgresql://db.example/audit',
      },
    });
    expect(() => serviceConfigFromEnv({ SERVICE: 'migrate', ...urls, DATABASE_URL_AUDIT: '' })).toThrow(
      'SERVICE=migrate: DATABASE_URL_AUDIT is required',
    );
  });
});
