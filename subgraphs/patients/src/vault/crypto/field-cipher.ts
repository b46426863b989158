import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The personal fields the vault seals, each under its own name as associated data. */
export const PII_FIELDS = [
  'givenName',
  'familyName',
  'dateOfBirth',
  'email',
  'phone',
  'address',
  'ihi',
] as const;
export type PiiField = (typeof PII_FIELDS)[number];

const FORMAT_V1 = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

/** A sealed value could not be opened: wrong key, wrong row or field, or tampered bytes. */
export class SealedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedValueError';
  }
}

// The clientId and field name bind a ciphertext to its place: copied into another row or column it fails.
function associatedData(clientId: string, field: PiiField): Buffer {
  return Buffer.from(`clinic.pii.v1\0${clientId}\0${field}`, 'utf8');
}

/**
 * AES-256-GCM from node:crypto (OpenSSL) with a fresh 96-bit random nonce per value. Output layout:
 * version (1 byte) || nonce (12) || ciphertext || tag (16). Random nonces are safe here: one data key
 * seals a handful of values per patient, far below GCM's 2^32 random-nonce limit.
 */
export function sealField(dataKey: Buffer, clientId: string, field: PiiField, plaintext: string): Buffer {
  if (dataKey.length !== DATA_KEY_BYTES) throw new Error('a data key is 32 bytes');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(clientId, field));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_V1]), nonce, body, cipher.getAuthTag()]);
}

export function openField(dataKey: Buffer, clientId: string, field: PiiField, sealed: Uint8Array): string {
  const bytes = Buffer.from(sealed);
  if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) {
    throw new SealedValueError(`${field} is not a sealed value`);
  }
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(clientId, field));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    // Never the value or key in the message: only which field failed.
    throw new SealedValueError(`${field} failed authentication`);
  }
}
