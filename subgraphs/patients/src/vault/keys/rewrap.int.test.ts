import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { destroyPatientData } from '../erase-patient';
import { openPatient, readPatients } from '../patient-record';
import { storePatientDetails } from '../register-patient';
import type { PatientDetails } from '../validation';
import { vaultTestBed, type VaultTestBed } from '../testing/vault-test-bed';
import { fakeKms } from './fake-kms';
import { KmsMasterKey } from './kms-master-key';
import { LocalMasterKey, MasterKeyRing, type MasterKey, type WrappedKey } from './master-key';
import { rewrapDataKeys, type RewrapProgress } from './rewrap';

const ARN = 'arn:aws:kms:ap-southeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PATIENTS = 25;
let bed: VaultTestBed;
let kms: ReturnType<typeof fakeKms>;
const people = new Map<string, PatientDetails>();

beforeAll(async () => {
  bed = await vaultTestBed();
  kms = fakeKms([ARN]);
  const batch = Array.from({ length: PATIENTS }, (_, i) => {
    const n = String(i).padStart(4, '0');
    const details: PatientDetails = {
      givenName: 'Sam',
      familyName: `Rewrap${'abcdefghijklmnopqrstuvwxyz'[i]}`,
      dateOfBirth: '1970-01-01',
      email: `sam.rewrap${n}@example.com`,
      phone: `+61755500${n.slice(1)}`,
      address: `${i} Example Road, Fortitude Valley QLD 4006`,
      ihi: null,
    };
    return { clientId: randomUUID(), details };
  });
  for (const { clientId, details } of batch) people.set(clientId, details);
  await storePatientDetails(bed.vault, bed.keys, batch);
}, 600_000);
afterAll(async () => {
  kms?.mock.restore();
  await bed?.close();
});

async function wrappedKeys(): Promise<Map<string, { keyId: string; wrapped: string | null }>> {
  const client = new Client({ connectionString: bed.databases.urls.pii_vault });
  await client.connect();
  try {
    const { rows } = await client.query<{
      client_id: string;
      master_key_id: string;
      wrapped_key: Buffer | null;
    }>('SELECT client_id, master_key_id, wrapped_key FROM data_key');
    return new Map(
      rows.map((row) => [
        row.client_id,
        { keyId: row.master_key_id, wrapped: row.wrapped_key?.toString('hex') ?? null },
      ]),
    );
  } finally {
    await client.end();
  }
}

/** A master key that dies after `limit` wraps: a rewrap interrupted half-way. */
function failingAfter(key: MasterKey, limit: number): MasterKey {
  let wraps = 0;
  return {
    keyId: key.keyId,
    generateDataKey: (clientId) => key.generateDataKey(clientId),
    unwrap: (wrapped: WrappedKey, clientId) => key.unwrap(wrapped, clientId),
    wrap: async (dataKey, clientId) => {
      if (++wraps > limit) throw new Error('interrupted');
      return key.wrap(dataKey, clientId);
    },
  };
}

describe('vault:rewrap', () => {
  it('moves every data key to a new master key, resumably, and the old key is no longer needed', async () => {
    const oldKey = bed.keys.masterKey;
    const erased = [...people.keys()][3] as string;
    // A "backup" taken before the erasure: both the wrapped key and the sealed fields.
    const backupKey = await bed.vault.dataKey.findUniqueOrThrow({ where: { clientId: erased } });
    const backupPii = await bed.vault.patientPii.findUniqueOrThrow({ where: { clientId: erased } });
    await destroyPatientData(
      bed.vault,
      erased,
      { role: 'SystemAdministrator', subject: 'staff-1' },
      { knownPatient: true },
    );
    // While the old master key lives, the backup can still be opened: erasure reaches backups only when
    // the master key that wrapped them is retired, which is what this rewrap allows.
    expect(await openPatient(oldKey, backupKey, backupPii)).toEqual(people.get(erased));

    const before = await wrappedKeys();
    const newKey = new KmsMasterKey(kms.client, ARN);
    const first: RewrapProgress[] = [];
    const interrupted = await rewrapDataKeys({
      vault: bed.vault,
      from: oldKey,
      to: failingAfter(newKey, 10),
      batchSize: 7,
      concurrency: 1,
      onProgress: (progress) => first.push(progress),
    });
    expect(interrupted.total).toBe(PATIENTS - 1);
    expect(interrupted.rewrapped).toBe(10);
    expect(first[0]).toEqual({ rewrapped: 0, total: PATIENTS - 1, failed: 0 });

    // Half-way, the service reads both kinds with a ring of old and new.
    const ring = new MasterKeyRing(newKey, [oldKey]);
    expect((await readPatients(bed.vault, ring, [...people.keys()])).size).toBe(PATIENTS - 1);

    const resumed = await rewrapDataKeys({ vault: bed.vault, from: ring, to: newKey, batchSize: 7 });
    expect(resumed).toEqual({ rewrapped: PATIENTS - 1 - 10, total: PATIENTS - 1 - 10, failed: 0 });
    expect(await rewrapDataKeys({ vault: bed.vault, from: ring, to: newKey })).toEqual({
      rewrapped: 0,
      total: 0,
      failed: 0,
    });

    const after = await wrappedKeys();
    for (const [clientId, row] of after) {
      if (clientId === erased) {
        expect(row.wrapped).toBeNull(); // an erased key stays erased
        continue;
      }
      expect(row.keyId).toBe(`kms:${ARN}`);
      expect(row.wrapped).not.toBe(before.get(clientId)?.wrapped);
    }

    // Only the new key is needed now, and every field still opens to the same value.
    const opened = await readPatients(bed.vault, newKey, [...people.keys()]);
    expect(opened.size).toBe(PATIENTS - 1);
    for (const [clientId, details] of opened) expect(details).toEqual(people.get(clientId));
    // With the old key retired, the pre-erasure backup can no longer be opened by anyone.
    await expect(openPatient(newKey, backupKey, backupPii)).rejects.toThrow(/no master key/);
  });

  it('passes over a key no configured master key can unwrap, and counts it', async () => {
    const stranger = LocalMasterKey.generate();
    const clientId = randomUUID();
    const wrapped = await stranger.generateDataKey(clientId);
    await bed.vault.dataKey.create({
      data: {
        clientId,
        wrappedKey: new Uint8Array(wrapped.wrapped.wrapped),
        masterKeyId: wrapped.wrapped.keyId,
      },
    });
    const target = new KmsMasterKey(kms.client, ARN);
    const result = await rewrapDataKeys({ vault: bed.vault, from: target, to: target });
    expect(result).toEqual({ rewrapped: 0, total: 1, failed: 1 });
  });
});
