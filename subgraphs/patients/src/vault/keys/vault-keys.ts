import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { BlindIndex } from '../blind-index';
import { KmsMasterKey } from './kms-master-key';
import { LocalMasterKey, MasterKeyRing, type MasterKey } from './master-key';

/** What the vault needs besides its database: a master key (ring) and the blind-index key. */
export interface VaultKeys {
  masterKey: MasterKey;
  blindIndex: BlindIndex;
}

export const VAULT_KEY_VARIABLES = {
  /** Base64 of 32 random bytes: the local master key (development, tests). */
  masterKey: 'VAULT_MASTER_KEY',
  /** A KMS key ARN: the master key in AWS. Wins over VAULT_MASTER_KEY. */
  kmsKeyArn: 'VAULT_KMS_KEY_ARN',
  /** Comma-separated older master keys still needed to unwrap: base64 local keys or kms:<arn>. */
  previousMasterKeys: 'VAULT_PREVIOUS_MASTER_KEYS',
  /** Base64 of 32 or more random bytes: the blind-index HMAC key. */
  indexKey: 'VAULT_INDEX_KEY',
} as const;

const DEV_MASTER_FILE = 'vault-master.key';
const DEV_INDEX_FILE = 'vault-index.key';

/** A base64 key from a development file in `dir`, made (readable by this user only) on first use. */
async function devKeyFile(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    const key = randomBytes(32).toString('base64');
    // 'wx': two processes starting at once must not each write a different key.
    await writeFile(file, `${key}\n`, { flag: 'wx', mode: 0o600 }).catch(async (raced: unknown) => {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
    });
    await chmod(file, 0o600);
    return (await readFile(file, 'utf8')).trim();
  }
}

export function parseMasterKey(spec: string, kms: () => KMSClient): MasterKey {
  return spec.startsWith('kms:') ? new KmsMasterKey(kms(), spec.slice(4)) : LocalMasterKey.fromBase64(spec);
}

/**
 * The vault's keys from the environment: KMS when VAULT_KMS_KEY_ARN is set, else VAULT_MASTER_KEY, else
 * (development only) key files under `devDir`, the data folder. In production (NODE_ENV=production) a
 * missing key is an error rather than a fresh file.
 */
export async function loadVaultKeys(options: {
  env?: NodeJS.ProcessEnv;
  devDir: string;
  kmsClient?: KMSClient;
}): Promise<VaultKeys> {
  const env = options.env ?? process.env;
  let client: KMSClient | undefined = options.kmsClient;
  const kms = () => (client ??= new KMSClient({}));
  const production = env['NODE_ENV'] === 'production';
  const missing = (variable: string) => {
    throw new Error(`${variable} must be set in production`);
  };
  const kmsArn = env[VAULT_KEY_VARIABLES.kmsKeyArn];
  const current = kmsArn
    ? new KmsMasterKey(kms(), kmsArn)
    : LocalMasterKey.fromBase64(
        env[VAULT_KEY_VARIABLES.masterKey] ??
          (production
            ? missing(VAULT_KEY_VARIABLES.masterKey)
            : await devKeyFile(options.devDir, DEV_MASTER_FILE)),
      );
  const previous = (env[VAULT_KEY_VARIABLES.previousMasterKeys] ?? '')
    .split(',')
    .map((spec) => spec.trim())
    .filter(Boolean)
    .map((spec) => parseMasterKey(spec, kms));
  const indexKey =
    env[VAULT_KEY_VARIABLES.indexKey] ??
    (production ? missing(VAULT_KEY_VARIABLES.indexKey) : await devKeyFile(options.devDir, DEV_INDEX_FILE));
  return {
    masterKey: previous.length ? new MasterKeyRing(current, previous) : current,
    blindIndex: new BlindIndex(Buffer.from(indexKey, 'base64')),
  };
}
