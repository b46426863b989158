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

/** The vault's keys as configured (the launcher reads VAULT_KMS_KEY_ARN, VAULT_MASTER_KEY, ...). */
export interface VaultKeyConfig {
  /** A KMS key ARN: the master key in AWS. Wins over masterKey. */
  kmsKeyArn?: string;
  /** Base64 of 32 random bytes: the local master key (development, tests). */
  masterKey?: string;
  /** Older master keys still needed to unwrap: base64 local keys or kms:<arn>. */
  previousMasterKeys?: string[];
  /** Base64 of 32 or more random bytes: the blind-index HMAC key. */
  indexKey?: string;
}

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
 * The vault's keys: KMS when kmsKeyArn is set, else masterKey, else (development only) key files under
 * `devDir`, the data folder. In production a missing key is an error rather than a fresh file.
 */
export async function loadVaultKeys(options: {
  keys?: VaultKeyConfig;
  production?: boolean;
  devDir: string;
  kmsClient?: KMSClient;
}): Promise<VaultKeys> {
  const keys = options.keys ?? {};
  let client: KMSClient | undefined = options.kmsClient;
  const kms = () => (client ??= new KMSClient({}));
  const missing = (what: string) => {
    throw new Error(`The vault's ${what} must be configured in production`);
  };
  const current = keys.kmsKeyArn
    ? new KmsMasterKey(kms(), keys.kmsKeyArn)
    : LocalMasterKey.fromBase64(
        keys.masterKey ??
          (options.production ? missing('master key') : await devKeyFile(options.devDir, DEV_MASTER_FILE)),
      );
  const previous = (keys.previousMasterKeys ?? []).map((spec) => parseMasterKey(spec, kms));
  const indexKey =
    keys.indexKey ??
    (options.production ? missing('index key') : await devKeyFile(options.devDir, DEV_INDEX_FILE));
  return {
    masterKey: previous.length ? new MasterKeyRing(current, previous) : current,
    blindIndex: new BlindIndex(Buffer.from(indexKey, 'base64')),
  };
}
