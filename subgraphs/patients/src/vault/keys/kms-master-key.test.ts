import { randomBytes, randomUUID } from 'node:crypto';
import { metrics } from '@clinic/platform';
import { fakeKms } from './fake-kms';
import { KmsMasterKey } from './kms-master-key';
import { LocalMasterKey, MasterKeyRing, UnknownMasterKeyError } from './master-key';

const ARN = 'arn:aws:kms:ap-southeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_ARN = 'arn:aws:kms:ap-southeast-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321';

describe('KmsMasterKey against a faithful KMS fake', () => {
  let kms: ReturnType<typeof fakeKms>;
  beforeEach(() => {
    kms = fakeKms([ARN, OTHER_ARN]);
  });
  afterEach(() => kms.mock.restore());

  it('generates a data key that unwraps to the same bytes, under the clientId context', async () => {
    const key = new KmsMasterKey(kms.client, ARN);
    const clientId = randomUUID();
    const { plaintext, wrapped } = await key.generateDataKey(clientId);
    expect(plaintext).toHaveLength(32);
    expect(wrapped.keyId).toBe(`kms:${ARN}`);
    expect(wrapped.wrapped.includes(plaintext)).toBe(false);
    expect(await key.unwrap(wrapped, clientId)).toEqual(plaintext);
    expect(kms.calls.map((call) => [call.command, call.keyId, call.context])).toEqual([
      ['GenerateDataKey', ARN, { clientId }],
      ['Decrypt', ARN, { clientId }],
    ]);
  });

  it('wraps an existing data key with Encrypt (re-wrap) and unwraps it again', async () => {
    const key = new KmsMasterKey(kms.client, ARN);
    const clientId = randomUUID();
    const dataKey = randomBytes(32);
    const wrapped = await key.wrap(dataKey, clientId);
    expect(await key.unwrap(wrapped, clientId)).toEqual(dataKey);
  });

  it('counts every KMS call by operation and outcome (clinic_vault_kms_requests_total)', async () => {
    const count = async (operation: string, outcome: string) =>
      (await metrics.vaultKms.get()).values.find(
        (sample) => sample.labels.operation === operation && sample.labels.outcome === outcome,
      )?.value ?? 0;
    const before = [await count('GenerateDataKey', 'ok'), await count('Decrypt', 'failed')];
    const key = new KmsMasterKey(kms.client, ARN);
    const { wrapped } = await key.generateDataKey(randomUUID());
    await expect(key.unwrap(wrapped, randomUUID())).rejects.toThrow(/InvalidCiphertext/);
    expect([await count('GenerateDataKey', 'ok'), await count('Decrypt', 'failed')]).toEqual([
      (before[0] ?? 0) + 1,
      (before[1] ?? 0) + 1,
    ]);
  });

  it("refuses to unwrap with another patient's encryption context", async () => {
    const key = new KmsMasterKey(kms.client, ARN);
    const { wrapped } = await key.generateDataKey(randomUUID());
    await expect(key.unwrap(wrapped, randomUUID())).rejects.toThrow(/InvalidCiphertext/);
  });

  it('refuses a blob from another KMS key, and a key id it was not given', async () => {
    const first = new KmsMasterKey(kms.client, ARN);
    const second = new KmsMasterKey(kms.client, OTHER_ARN);
    const clientId = randomUUID();
    const { wrapped } = await second.generateDataKey(clientId);
    await expect(first.unwrap(wrapped, clientId)).rejects.toThrow(UnknownMasterKeyError);
    await expect(first.unwrap({ ...wrapped, keyId: first.keyId }, clientId)).rejects.toThrow(/IncorrectKey/);
  });

  it('works inside a key ring beside a retired local key', async () => {
    const local = LocalMasterKey.generate();
    const clientId = randomUUID();
    const old = await local.generateDataKey(clientId);
    const ring = new MasterKeyRing(new KmsMasterKey(kms.client, ARN), [local]);
    expect(ring.keyId).toBe(`kms:${ARN}`);
    expect(await ring.unwrap(old.wrapped, clientId)).toEqual(old.plaintext);
    const moved = await ring.wrap(old.plaintext, clientId);
    expect(moved.keyId).toBe(`kms:${ARN}`);
    expect(await ring.unwrap(moved, clientId)).toEqual(old.plaintext);
  });
});
