import { randomUUID } from 'node:crypto';
import { LocalMasterKey, MasterKeyRing, UnknownMasterKeyError } from './master-key';

describe('LocalMasterKey', () => {
  it('round-trips a data key bound to its clientId, and names itself by fingerprint only', async () => {
    const raw = Buffer.alloc(32, 7);
    const key = new LocalMasterKey(raw);
    expect(key.keyId).toMatch(/^local:[0-9a-f]{16}$/);
    expect(key.keyId).not.toContain(raw.toString('hex').slice(0, 16));
    const clientId = randomUUID();
    const { plaintext, wrapped } = await key.generateDataKey(clientId);
    expect(await key.unwrap(wrapped, clientId)).toEqual(plaintext);
    await expect(key.unwrap(wrapped, randomUUID())).rejects.toThrow();
  });

  it('fails on a tampered wrap and on a wrap from another master key', async () => {
    const key = LocalMasterKey.generate();
    const clientId = randomUUID();
    const { wrapped } = await key.generateDataKey(clientId);
    const tampered = Buffer.from(wrapped.wrapped);
    tampered[14] = (tampered[14] ?? 0) ^ 1;
    await expect(key.unwrap({ ...wrapped, wrapped: tampered }, clientId)).rejects.toThrow();
    const other = LocalMasterKey.generate();
    await expect(other.unwrap(wrapped, clientId)).rejects.toThrow(UnknownMasterKeyError);
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => LocalMasterKey.fromBase64(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('MasterKeyRing', () => {
  it('wraps under the current key and unwraps under any key it holds', async () => {
    const old = LocalMasterKey.generate();
    const current = LocalMasterKey.generate();
    const clientId = randomUUID();
    const before = await old.generateDataKey(clientId);
    const ring = new MasterKeyRing(current, [old]);
    expect((await ring.generateDataKey(clientId)).wrapped.keyId).toBe(current.keyId);
    expect(await ring.unwrap(before.wrapped, clientId)).toEqual(before.plaintext);
    await expect(new MasterKeyRing(current).unwrap(before.wrapped, clientId)).rejects.toThrow(
      UnknownMasterKeyError,
    );
  });
});
