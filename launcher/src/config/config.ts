import path from 'node:path';
import { DATABASE_NAMES, databaseUrlVariable, DEFAULT_GATEWAY_PORT, DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES, type DatabaseName, type SubgraphName } from '@clinic/contracts';
import { kafkaConnectionFromEnv, type KafkaConnection } from '@clinic/platform';

/** What one container runs: the gateway, one subgraph, or the migration job. */
export const SERVICES = ['gateway', ...SUBGRAPH_NAMES, 'migrate'] as const;
export type ServiceName = (typeof SERVICES)[number];

interface Common {
  logLevel: string;
  /** Interface to listen on: all of them in a container, loopback by default elsewhere. */
  host: string;
}

export interface KafkaSettings {
  connection: KafkaConnection;
  clientId: string;
  groupPrefix: string;
  /** Prefixed to every topic name, so environments can share one cluster (empty: one cluster each). */
  topicPrefix: string;
}

export type ServiceConfig =
  | (Common & {
      service: 'gateway';
      port: number;
      subgraphs: Record<SubgraphName, string>;
      /** ES256 public key (PEM, SPKI) that verifies access tokens, when AUTH_JWKS_URL is not set. */
      jwtPublicKeyPem?: string;
      jwtIssuer?: string;
      jwtAudience?: string;
      /** Feeds live updates (SSE subscriptions) when KAFKA_BROKERS is set; none without. */
      kafka?: KafkaSettings;
    })
  | (Common & {
      service: 'doctors' | 'appointments' | 'audit';
      port: number;
      databaseUrl: string;
      kafka: KafkaSettings;
    })
  | (Common & {
      service: 'patients';
      port: number;
      databaseUrl: string;
      vaultDatabaseUrl: string;
      kafka: KafkaSettings;
    })
  | (Common & {
      service: 'migrate';
      databaseUrls: Record<DatabaseName, string>;
      /** Folder holding prisma/<database>/migrations. */
      migrationsRoot: string;
    });

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const defaultRoot = path.resolve(__dirname, '..', '..');

/**
 * The production configuration of one service, read from the environment only (12-factor), so the same
 * image runs every service. Every missing or malformed variable is reported at once, before anything
 * starts. docs/deployment.md lists the variables.
 */
export function serviceConfigFromEnv(env: NodeJS.ProcessEnv): ServiceConfig {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };
  const service = env['SERVICE']?.trim() as ServiceName | undefined;
  if (!service || !SERVICES.includes(service)) {
    throw new ConfigError(`SERVICE must be one of ${SERVICES.join(', ')}, not "${service ?? ''}"`);
  }
  const common: Common = {
    logLevel: env['LOG_LEVEL'] ?? 'info',
    host: env['LISTEN_HOST'] ?? '0.0.0.0',
  };
  const port = (fallback: number): number => {
    const value = Number(env['PORT'] ?? fallback);
    if (!Number.isInteger(value) || value < 0 || value > 65535) problems.push(`PORT must be a port number`);
    return value;
  };
  const database = (name: DatabaseName) => required(databaseUrlVariable(name));
  const kafka = (): KafkaSettings => {
    let connection: KafkaConnection | null = null;
    try {
      connection = kafkaConnectionFromEnv(env);
    } catch (error) {
      problems.push((error as Error).message);
    }
    // Each pod is its own process: an in-process bus would silently drop every event between them.
    if (!connection && !problems.some((problem) => problem.startsWith('KAFKA_')))
      problems.push(`KAFKA_BROKERS is required for ${service}`);
    return {
      connection: connection ?? { brokers: [], replicationFactor: 1 },
      clientId: env['KAFKA_CLIENT_ID'] ?? `clinic-${service}`,
      groupPrefix: env['KAFKA_GROUP_PREFIX'] ?? '',
      topicPrefix: env['KAFKA_TOPIC_PREFIX'] ?? '',
    };
  };

  let config: ServiceConfig;
  switch (service) {
    case 'gateway': {
      const subgraphs = Object.fromEntries(
        SUBGRAPH_NAMES.map((name) => [name, required(`SUBGRAPH_URL_${name.toUpperCase()}`)]),
      ) as Record<SubgraphName, string>;
      // Cognito (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, read by the gateway) or one fixed public key.
      const jwks = Boolean(env['AUTH_JWKS_URL']?.trim());
      const jwtPublicKeyPem = jwks ? undefined : required('JWT_PUBLIC_KEY');
      if (jwtPublicKeyPem && !jwtPublicKeyPem.includes('BEGIN PUBLIC KEY'))
        problems.push('JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
      if (jwks && !(env['AUTH_ISSUER'] && env['AUTH_AUDIENCE']))
        problems.push('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE');
      config = {
        ...common,
        service,
        port: port(DEFAULT_GATEWAY_PORT),
        subgraphs,
        ...(jwtPublicKeyPem ? { jwtPublicKeyPem } : {}),
        ...(env['KAFKA_BROKERS']?.trim() ? { kafka: kafka() } : {}),
        ...(env['JWT_ISSUER'] ? { jwtIssuer: env['JWT_ISSUER'] } : {}),
        ...(env['JWT_AUDIENCE'] ? { jwtAudience: env['JWT_AUDIENCE'] } : {}),
      };
      break;
    }
    case 'patients':
      config = {
        ...common,
        service,
        port: port(DEFAULT_SUBGRAPH_PORTS[service]),
        databaseUrl: database('patients'),
        vaultDatabaseUrl: database('pii_vault'),
        kafka: kafka(),
      };
      break;
    case 'doctors':
    case 'appointments':
    case 'audit':
      config = {
        ...common,
        service,
        port: port(DEFAULT_SUBGRAPH_PORTS[service]),
        databaseUrl: database(service),
        kafka: kafka(),
      };
      break;
    case 'migrate':
      config = {
        ...common,
        service,
        databaseUrls: Object.fromEntries(DATABASE_NAMES.map((name) => [name, database(name)])) as Record<
          DatabaseName,
          string
        >,
        migrationsRoot: env['MIGRATIONS_DIR'] ?? path.join(defaultRoot, 'prisma'),
      };
      break;
  }
  if (problems.length > 0) throw new ConfigError(`SERVICE=${service}: ${problems.join('; ')}`);
  return config;
}
