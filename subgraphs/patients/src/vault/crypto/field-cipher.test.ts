import { randomBytes, randomUUID } from 'node:crypto';
import { openField, sealField, SealedValueError } from './field-cipher';

const key = randomBytes(32);
const clientId = randomUUID();

describe('field cipher (AES-256-GCM, clientId and field as associated data)', () => {
  it('opens what it sealed, and never shows the plaintext in the sealed bytes', () => {
    const sealed = sealField(key, clientId, 'email', 'jo.citizen@example.com');
    expect(sealed.includes(Buffer.from('jo.citizen'))).toBe(false);
    expect(sealed[0]).toBe(1);
    expect(sealed).toHaveLength(1 + 12 + 'jo.citizen@example.com'.length + 16);
    expect(openField(key, clientId, 'email', sealed)).toBe('jo.citizen@example.com');
  });

  it('uses a fresh nonce each time: the same value seals differently', () => {
    expect(sealField(key, clientId, 'phone', '+61255501234')).not.toEqual(
      sealField(key, clientId, 'phone', '+61255501234'),
    );
  });

  it('fails when any byte is tampered with: nonce, ciphertext or tag', () => {
    const sealed = sealField(key, clientId, 'givenName', 'Jo');
    for (const index of [1, 13, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(() => openField(key, clientId, 'givenName', tampered)).toThrow(SealedValueError);
    }
  });

  it('fails with the wrong associated data: another patient or another field', () => {
    const sealed = sealField(key, clientId, 'familyName', 'Citizen');
    expect(() => openField(key, randomUUID(), 'familyName', sealed)).toThrow(/familyName failed/);
    expect(() => openField(key, clientId, 'givenName', sealed)).toThrow(/givenName failed/);
  });

  it('fails with another data key, and on bytes that are not a sealed value', () => {
    const sealed = sealField(key, clientId, 'address', '1 Example St, Sydney');
    expect(() => openField(randomBytes(32), clientId, 'address', sealed)).toThrow(SealedValueError);
    expect(() => openField(key, clientId, 'address', Buffer.from('1 Example St'))).toThrow(/not a sealed/);
  });

  it('keeps the plaintext out of its error messages', () => {
    const sealed = sealField(key, clientId, 'email', 'secret.person@example.com');
    try {
      openField(key, randomUUID(), 'email', sealed);
      throw new Error('should have failed');
    } catch (error) {
      expect(String(error)).not.toContain('secret.person');
    }
  });
});
