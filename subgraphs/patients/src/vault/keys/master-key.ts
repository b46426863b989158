import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DATA_KEY_BYTES } from '../crypto/field-cipher';

/** A data key as stored: its wrapped bytes and the id of the master key that wrapped them. */
export interface WrappedKey {
  keyId: string;
  wrapped: Buffer;
}

/**
 * Wraps and unwraps per-patient data keys. The clientId is bound to every wrap (AAD locally, the KMS
 * encryption context in AWS), so a wrapped key copied to another patient's row does not unwrap.
 */
export interface MasterKey {
  /** The id new wraps are stored under: `local:<fingerprint>` or `kms:<key arn>`. */
  readonly keyId: string;
  /** A fresh random 32-byte data key, in plaintext and wrapped. */
  generateDataKey(clientId: string): Promise<{ plaintext: Buffer; wrapped: WrappedKey }>;
  wrap(dataKey: Buffer, clientId: string): Promise<WrappedKey>;
  /** Throws UnknownMasterKeyError when `wrapped.keyId` is not a key this one can unwrap. */
  unwrap(wrapped: WrappedKey, clientId: string): Promise<Buffer>;
}

export class UnknownMasterKeyError extends Error {
  constructor(keyId: string) {
    super(`no master key ${keyId} is configured`);
    this.name = 'UnknownMasterKeyError';
  }
}

const WRAP_NONCE_BYTES = 12;
const WRAP_TAG_BYTES = 16;

/**
 * A 256-bit master key held by this process: for development and tests. It wraps with AES-256-GCM
 * (a key-wrap mode like RFC 5649 would do too; GCM keeps one primitive for the whole vault).
 */
export class LocalMasterKey implements MasterKey {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a local master key is 32 bytes (base64 of 32 random bytes)');
    // A fingerprint, not the key: a truncated hash identifies it in rows and logs.
    this.keyId = `local:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  }

  static generate(): LocalMasterKey {
    return new LocalMasterKey(randomBytes(32));
  }

  static fromBase64(encoded: string): LocalMasterKey {
    return new LocalMasterKey(Buffer.from(encoded.trim(), 'base64'));
  }

  async generateDataKey(clientId: string): Promise<{ plaintext: Buffer; wrapped: WrappedKey }> {
    const plaintext = randomBytes(DATA_KEY_BYTES);
    return { plaintext, wrapped: await this.wrap(plaintext, clientId) };
  }

  async wrap(dataKey: Buffer, clientId: string): Promise<WrappedKey> {
    const nonce = randomBytes(WRAP_NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: WRAP_TAG_BYTES });
    cipher.setAAD(Buffer.from(`clinic.data-key.v1\0${clientId}`));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { keyId: this.keyId, wrapped: Buffer.concat([nonce, body, cipher.getAuthTag()]) };
  }

  async unwrap(wrapped: WrappedKey, clientId: string): Promise<Buffer> {
    if (wrapped.keyId !== this.keyId) throw new UnknownMasterKeyError(wrapped.keyId);
    const bytes = wrapped.wrapped;
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, WRAP_NONCE_BYTES), {
      authTagLength: WRAP_TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(`clinic.data-key.v1\0${clientId}`));
    decipher.setAuthTag(bytes.subarray(bytes.length - WRAP_TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(WRAP_NONCE_BYTES, bytes.length - WRAP_TAG_BYTES)),
      decipher.final(),
    ]);
  }
}

/**
 * The current master key plus the previous ones still needed to unwrap: new keys are wrapped under the
 * current key, and while `vault:rewrap` moves old wraps over, both kinds stay readable.
 */
export class MasterKeyRing implements MasterKey {
  readonly keyId: string;
  private readonly byId: Map<string, MasterKey>;

  constructor(
    private readonly current: MasterKey,
    previous: readonly MasterKey[] = [],
  ) {
    this.keyId = current.keyId;
    this.byId = new Map([...previous, current].map((key) => [key.keyId, key]));
  }

  generateDataKey(clientId: string) {
    return this.current.generateDataKey(clientId);
  }

  wrap(dataKey: Buffer, clientId: string) {
    return this.current.wrap(dataKey, clientId);
  }

  async unwrap(wrapped: WrappedKey, clientId: string): Promise<Buffer> {
    const key = this.byId.get(wrapped.keyId);
    if (!key) throw new UnknownMasterKeyError(wrapped.keyId);
    return key.unwrap(wrapped, clientId);
  }
}
