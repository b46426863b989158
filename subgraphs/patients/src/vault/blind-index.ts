import { createHmac } from 'node:crypto';

/**
 * Blind indexes let the vault find a patient by email or phone without storing either in clear:
 * HMAC-SHA256 under a key of its own (not the master key), over the normalised value with a domain
 * prefix, so an email and a phone with the same text never share an index. Without the index key the
 * column is useless for guessing; with it, it answers only "is this exact value registered".
 */
export class BlindIndex {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('a blind-index key is at least 32 bytes');
  }

  /** `email` must already be normalised (trimmed, lower case): see validation.ts. */
  email(email: string): Buffer {
    return this.mac('email', email);
  }

  /** `phone` must already be in E.164 (+61…): see validation.ts. */
  phone(phone: string): Buffer {
    return this.mac('phone', phone);
  }

  /**
   * A patient's clinic access code (access/access-codes.ts): only this HMAC is stored, so the codes table
   * alone cannot be searched offline for the short codes it holds.
   */
  accessCode(code: string): Buffer {
    return this.mac('access-code', code);
  }

  /**
   * The fingerprint of an idempotent request (runIdempotent's `digest`): a registration carries personal
   * details and a redemption a code, so a plain hash in the patients database could be matched against
   * guessed details or the few codes there are; under this key it cannot.
   */
  idempotentRequest(canonicalRequest: string): string {
    return this.mac('idempotent-request', canonicalRequest).toString('hex');
  }

  /**
   * Secret, stable bytes for one (caller, idempotency key): the clientId a registration writes to the vault
   * and the clinic access code a patient's request makes, so that a retry under the key finds (or makes
   * again) the very same ones without either being stored anywhere outside the vault.
   */
  derive(
    purpose: 'registration-client-id' | 'access-code' | 'reminder-reply',
    caller: string,
    key: string,
    draw = 0,
  ): Buffer {
    return this.mac(`derive:${purpose}`, `${caller}\0${key}\0${draw}`);
  }

  private mac(domain: string, value: string): Buffer {
    return createHmac('sha256', this.key).update(`clinic.blind-index.v1\0${domain}\0${value}`).digest();
  }
}
