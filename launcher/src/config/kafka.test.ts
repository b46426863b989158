import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import type { OauthbearerProviderResponse, SASLOptions } from 'kafkajs';
import { kafkaConnectionFromEnv, type MskTokenGenerator } from './kafka';

// Signs offline with fixed example credentials (AWS's documented example key), so the token is real.
const signWithExampleCredentials: MskTokenGenerator = (region) =>
  generateAuthTokenFromCredentialsProvider({
    region,
    awsCredentialsProvider: async () => ({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    }),
  });

async function oauthToken(sasl: SASLOptions | undefined): Promise<OauthbearerProviderResponse> {
  if (sasl?.mechanism !== 'oauthbearer') throw new Error(`expected oauthbearer, got ${sasl?.mechanism}`);
  return sasl.oauthBearerProvider();
}

describe('kafkaConnectionFromEnv', () => {
  it('returns null without brokers, so the in-process bus is used', () => {
    expect(kafkaConnectionFromEnv({})).toBeNull();
    expect(kafkaConnectionFromEnv({ KAFKA_BROKERS: ' , ' })).toBeNull();
  });

  it('is plaintext without authentication on a local broker', () => {
    expect(kafkaConnectionFromEnv({ KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093' })).toEqual({
      brokers: ['127.0.0.1:9092', '127.0.0.1:9093'],
      replicationFactor: 1,
    });
  });

  it('turns on TLS with KAFKA_SSL and trusts a CA bundle from a file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kafka-ca-'));
    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nexample\n-----END CERTIFICATE-----\n');
    expect(kafkaConnectionFromEnv({ KAFKA_BROKERS: 'b-1:9094', KAFKA_SSL: 'true' })?.ssl).toBe(true);
    expect(
      kafkaConnectionFromEnv({ KAFKA_BROKERS: 'b-1:9094', KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: caFile })
        ?.ssl,
    ).toEqual({ ca: [expect.stringContaining('BEGIN CERTIFICATE')] });
  });

  it('uses MSK IAM over TLS: an OAUTHBEARER token presigned for kafka-cluster:Connect in the region', async () => {
    const connection = kafkaConnectionFromEnv(
      {
        KAFKA_BROKERS: 'b-1.msk.example:9098,b-2.msk.example:9098',
        KAFKA_SASL_MECHANISM: 'aws-iam',
        AWS_REGION: 'ap-southeast-2',
        KAFKA_REPLICATION_FACTOR: '3',
      },
      signWithExampleCredentials,
    );
    expect(connection).toMatchObject({ ssl: true, replicationFactor: 3 });
    const { value } = await oauthToken(connection?.sasl);
    const presigned = new URL(Buffer.from(value, 'base64url').toString('utf8'));
    expect(presigned.host).toBe('kafka.ap-southeast-2.amazonaws.com');
    expect(presigned.searchParams.get('Action')).toBe('kafka-cluster:Connect');
    expect(presigned.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIDEXAMPLE\/\d{8}\/ap-southeast-2\/kafka-cluster\/aws4_request$/,
    );
    expect(presigned.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks for a fresh token on every (re)connection', async () => {
    let calls = 0;
    const connection = kafkaConnectionFromEnv(
      { KAFKA_BROKERS: 'b-1:9098', KAFKA_SASL_MECHANISM: 'AWS-IAM', AWS_DEFAULT_REGION: 'ap-southeast-2' },
      async (region) => ({ token: `${region}-${++calls}`, expiryTime: 0 }),
    );
    expect((await oauthToken(connection?.sasl)).value).toBe('ap-southeast-2-1');
    expect((await oauthToken(connection?.sasl)).value).toBe('ap-southeast-2-2');
  });

  it('uses SCRAM with the username and password from the environment, over TLS by default', () => {
    const connection = kafkaConnectionFromEnv({
      KAFKA_BROKERS: 'b-1:9096',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'clinic',
      KAFKA_SASL_PASSWORD: 'example-password',
    });
    expect(connection).toEqual({
      brokers: ['b-1:9096'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'clinic', password: 'example-password' },
      replicationFactor: 1,
    });
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'kerberos' }, /KAFKA_SASL_MECHANISM must be one of aws-iam/],
    [{ KAFKA_SASL_MECHANISM: 'aws-iam' }, /needs AWS_REGION/],
    [{ KAFKA_SASL_MECHANISM: 'aws-iam', AWS_REGION: 'ap-southeast-2', KAFKA_SSL: 'false' }, /needs TLS/],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'clinic' }, /KAFKA_SASL_PASSWORD/],
    [{ KAFKA_SSL: 'maybe' }, /KAFKA_SSL must be true or false/],
    [{ KAFKA_REPLICATION_FACTOR: '0' }, /KAFKA_REPLICATION_FACTOR must be a positive integer/],
  ])('refuses a half-configured connection at start: %j', (extra, message) => {
    expect(() => kafkaConnectionFromEnv({ KAFKA_BROKERS: 'b-1:9092', ...extra })).toThrow(message);
  });

  it('never repeats a value in its messages: a secret typed into the wrong variable stays out of the logs', () => {
    for (const name of ['KAFKA_SASL_MECHANISM', 'KAFKA_SSL', 'KAFKA_REPLICATION_FACTOR'])
      expect(() =>
        kafkaConnectionFromEnv({ KAFKA_BROKERS: 'b-1:9092', [name]: 'Canary-Secret-7f3a' }),
      ).not.toThrow(/canary/i);
    expect(kafkaConnectionFromEnv({ KAFKA_BROKERS: 'b-1:9092', KAFKA_REPLICATION_FACTOR: '' })).toMatchObject(
      {
        replicationFactor: 1,
      },
    );
  });
});
