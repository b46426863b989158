import { readFileSync } from 'node:fs';
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import type { SASLOptions } from 'kafkajs';
import type { KafkaConnection } from '@clinic/platform';

/** Makes an MSK IAM token; replaced in unit tests so they sign with fixed credentials. */
export type MskTokenGenerator = (region: string) => Promise<{ token: string; expiryTime: number }>;

const defaultTokenGenerator: MskTokenGenerator = (region) => generateAuthToken({ region });

export const SASL_MECHANISMS = ['aws-iam', 'scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type SaslMechanismName = (typeof SASL_MECHANISMS)[number];

/**
 * Reads the Kafka connection from the environment (documented in docs/deployment.md):
 * KAFKA_BROKERS, KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME,
 * KAFKA_SASL_PASSWORD, AWS_REGION (for aws-iam) and KAFKA_REPLICATION_FACTOR. Returns null without brokers
 * (the in-process bus is used then). A half-configured connection throws at start, not at first publish.
 */
export function kafkaConnectionFromEnv(
  env: NodeJS.ProcessEnv,
  generateToken: MskTokenGenerator = defaultTokenGenerator,
): KafkaConnection | null {
  const brokers = (env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (brokers.length === 0) return null;

  const mechanism = env['KAFKA_SASL_MECHANISM']?.trim().toLowerCase() || undefined;
  if (mechanism !== undefined && !isMechanism(mechanism)) {
    throw new Error(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}`);
  }
  // Empty means unset here as everywhere in the configuration; values never appear in messages.
  const replicationFactor = Number(env['KAFKA_REPLICATION_FACTOR']?.trim() || '1');
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new Error('KAFKA_REPLICATION_FACTOR must be a positive integer');
  }

  const sslFlag = parseFlag('KAFKA_SSL', env['KAFKA_SSL']);
  // Credentials never travel in clear: IAM and SCRAM imply TLS unless TLS is turned off explicitly
  // (PLAINTEXT with SCRAM only makes sense on a private test broker).
  const tls = sslFlag ?? (mechanism !== undefined && mechanism !== 'plain');
  if (mechanism === 'aws-iam' && sslFlag === false) throw new Error('KAFKA_SASL_MECHANISM=aws-iam needs TLS');
  const caFile = env['KAFKA_SSL_CA_FILE'];
  const ssl = tls ? (caFile ? { ca: [readFileSync(caFile, 'utf8')] } : true) : undefined;

  return {
    brokers,
    ...(ssl !== undefined ? { ssl } : {}),
    ...(mechanism ? { sasl: saslOptions(mechanism, env, generateToken) } : {}),
    replicationFactor,
  };
}

function saslOptions(
  mechanism: SaslMechanismName,
  env: NodeJS.ProcessEnv,
  generateToken: MskTokenGenerator,
): SASLOptions {
  if (mechanism === 'aws-iam') {
    const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
    if (!region) throw new Error('KAFKA_SASL_MECHANISM=aws-iam needs AWS_REGION');
    // MSK IAM is OAUTHBEARER with a SigV4-presigned token; kafkajs asks again whenever it reconnects,
    // and the signer takes credentials from the default chain (IRSA's web identity token on EKS).
    return {
      mechanism: 'oauthbearer',
      oauthBearerProvider: async () => ({ value: (await generateToken(region)).token }),
    };
  }
  const username = env['KAFKA_SASL_USERNAME'];
  const password = env['KAFKA_SASL_PASSWORD'];
  if (!username || !password) {
    throw new Error(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
  }
  return { mechanism, username, password };
}

function isMechanism(value: string): value is SaslMechanismName {
  return (SASL_MECHANISMS as readonly string[]).includes(value);
}

function parseFlag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^(true|1|yes)$/i.test(value.trim())) return true;
  if (/^(false|0|no)$/i.test(value.trim())) return false;
  throw new Error(`${name} must be true or false`);
}
