import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { databaseUrlVariable } from '@clinic/contracts';
import { startEmbeddedPostgres } from '@clinic/platform';
import {
  connectVaultDatabase,
  loadVaultKeys,
  LocalMasterKey,
  MasterKeyRing,
  parseMasterKey,
  rewrapDataKeys,
  type MasterKey,
} from '@clinic/patients-subgraph';

const usage = `Usage: npm run vault:rewrap -- --to <key> [options]

Re-wraps every patient's data key under a new master key, in batches, each committed on its own: stop
it at any time and run it again to finish. The sealed fields are not touched. The old master keys are
read from VAULT_KMS_KEY_ARN / VAULT_MASTER_KEY / VAULT_PREVIOUS_MASTER_KEYS (or the development key
file in the data folder) plus any --from.

  --to new-dev-key     a fresh local key; when every key is moved it replaces the development key file
                       (<data-dir>/vault-master.key) and the old key file is deleted
  --to kms:<arn>       a KMS key
  --to env:<VAR>       a local key (base64 of 32 bytes) from the environment variable VAR
  --from <key>         another old key: kms:<arn> or env:<VAR>; repeatable
  --batch <n>          keys per committed batch (default 500)
  --data-dir <dir>     embedded databases and development keys (default .data); DATABASE_URL_PII_VAULT
                       selects a server instead. Stop npm start first: an embedded database has one owner.`;

const NEXT_DEV_KEY = 'vault-master.next.key';
const DEV_KEY = 'vault-master.key';

function keyFromSpec(spec: string, kms: () => KMSClient): MasterKey {
  if (spec.startsWith('env:')) {
    const value = process.env[spec.slice(4)];
    if (!value) throw new Error(`${spec.slice(4)} is not set`);
    return LocalMasterKey.fromBase64(value);
  }
  if (spec.startsWith('kms:')) return parseMasterKey(spec, kms);
  // Keys never go on the command line: it shows in `ps` and in shell history.
  throw new Error(`a key is kms:<arn>, env:<VAR> or new-dev-key, not "${spec.split(':')[0]}:…"`);
}

/** The next development key: made once and kept until the rewrap completes, so a rerun resumes with it. */
async function nextDevKey(dataDir: string): Promise<LocalMasterKey> {
  const file = path.join(dataDir, NEXT_DEV_KEY);
  if (!existsSync(file)) {
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  }
  return LocalMasterKey.fromBase64(await readFile(file, 'utf8'));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      to: { type: 'string' },
      from: { type: 'string', multiple: true, default: [] },
      batch: { type: 'string', default: '500' },
      'data-dir': { type: 'string', default: process.env['DATA_DIR'] ?? '.data' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return console.log(usage);
  if (!values.to) {
    console.error(`--to is required\n\n${usage}`);
    process.exit(2);
  }
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    console.error(`--batch must be a whole number of at least 1, not "${values.batch}"`);
    process.exit(2);
  }
  const dataDir = path.resolve(values['data-dir']);
  let client: KMSClient | undefined;
  const kms = () => (client ??= new KMSClient({}));
  const configured = await loadVaultKeys({ devDir: dataDir });
  const from = new MasterKeyRing(
    configured.masterKey,
    values.from.map((spec) => keyFromSpec(spec, kms)),
  );
  const newDevKey = values.to === 'new-dev-key';
  const to = newDevKey ? await nextDevKey(dataDir) : keyFromSpec(values.to, kms);

  const serverUrl = process.env[databaseUrlVariable('pii_vault')];
  const embedded = serverUrl
    ? null
    : await startEmbeddedPostgres({ dataDir, basePort: 0, databases: ['pii_vault'] });
  const vault = connectVaultDatabase(serverUrl ?? embedded?.urls.pii_vault ?? '');
  try {
    const result = await rewrapDataKeys({
      vault,
      from,
      to,
      batchSize,
      onProgress: ({ rewrapped, total, failed }) =>
        console.log(`rewrapped ${rewrapped}/${total}${failed ? ` (${failed} could not be unwrapped)` : ''}`),
    });
    const left = await vault.dataKey.count({
      where: { wrappedKey: { not: null }, masterKeyId: { not: to.keyId } },
    });
    if (left > 0) {
      console.error(
        `${left} data keys are still under another master key (they could not be unwrapped or wrapped): check the old keys (--from) and KMS access, then run again.`,
      );
      process.exitCode = 1;
      return;
    }
    console.log(`every data key is under ${to.keyId} (${result.rewrapped} moved in this run).`);
    if (newDevKey) {
      await rename(path.join(dataDir, NEXT_DEV_KEY), path.join(dataDir, DEV_KEY));
      console.log(`${path.join(dataDir, DEV_KEY)} now holds the new key; the old one is gone.`);
    } else {
      console.log(
        'Configure the services with the new key, then retire the old one (VAULT_PREVIOUS_MASTER_KEYS).',
      );
    }
  } finally {
    await vault.$disconnect();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`vault:rewrap failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
