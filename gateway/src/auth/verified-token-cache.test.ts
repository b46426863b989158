import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { DEV_ISSUER, issueDevToken, loadOrCreateDevSigningKey, type DevSigningKey } from '@clinic/platform';
import { VerifiedTokenCache } from './verified-token-cache';
import { createTokenVerifier } from './verify-token';

/**
 * Attacks on the verified-token cache: a cached verification must never accept what a full check would
 * refuse. Times come from a fake clock (modern timers fake Date, which jose and the cache both read).
 */
let key: DevSigningKey;
const clientId = '0b7f7d4e-5d1c-4a8e-9a55-0d9a3c1e2f10';
const T0 = Date.UTC(2026, 11, 5, 4, 0, 0);

beforeAll(async () => {
  key = await loadOrCreateDevSigningKey(mkdtempSync(path.join(os.tmpdir(), 'issuer-')));
});
beforeEach(() => jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { extensions?: { code?: string } }) => error.extensions?.code,
  );

/** The same token with one byte of its signature changed. */
function flipSignatureByte(token: string, index: number): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const bytes = Buffer.from(signature, 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

describe('the verified-token cache in createTokenVerifier', () => {
  it('refuses an expired token that it verified (and cached) while it was valid', async () => {
    const verify = createTokenVerifier({ publicKey: key.publicKey });
    const token = await issueDevToken(
      key,
      { role: 'Patient', subject: clientId },
      Math.floor(T0 / 1000) + 60,
    );
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ subject: clientId });
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ subject: clientId });
    // Past its expiry and the clock skew allowed: what an uncached check says, the cached one says too.
    jest.setSystemTime(T0 + 60_000 + 31_000);
    await expect(verify(`Bearer ${token}`)).rejects.toMatchObject({
      message: 'The token has expired. Sign in again.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('gives within the clock skew after expiry the same answer as a verifier that never saw the token', async () => {
    const cached = createTokenVerifier({ publicKey: key.publicKey });
    const token = await issueDevToken(
      key,
      { role: 'Patient', subject: clientId },
      Math.floor(T0 / 1000) + 60,
    );
    await cached(`Bearer ${token}`);
    for (const seconds of [59, 60, 61, 89, 90, 91, 120]) {
      jest.setSystemTime(T0 + seconds * 1000);
      const fresh = createTokenVerifier({ publicKey: key.publicKey, cacheEntries: 0 });
      expect(await codeOf(cached(`Bearer ${token}`))).toBe(await codeOf(fresh(`Bearer ${token}`)));
    }
  });

  it('refuses a token that differs from a cached one in a single signature byte', async () => {
    const verify = createTokenVerifier({ publicKey: key.publicKey });
    const token = await issueDevToken(key, { role: 'SystemAdministrator', subject: 'admin-1' });
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ role: 'SystemAdministrator' });
    for (const index of [0, 31, 32, 63]) {
      const forged = flipSignatureByte(token, index);
      expect(forged).not.toBe(token);
      await expect(verify(`Bearer ${forged}`)).rejects.toMatchObject({
        message: 'The token signature is not valid.',
      });
    }
    // The genuine token is still accepted afterwards.
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ role: 'SystemAdministrator' });
  });

  it('does not accept, for another audience or issuer, a token verified for one', async () => {
    const ours = createTokenVerifier({ publicKey: key.publicKey });
    const token = await issueDevToken(key, { role: 'ClinicAdmin', subject: 'staff-1', clinicId: clientId });
    await expect(ours(`Bearer ${token}`)).resolves.toMatchObject({ role: 'ClinicAdmin' });
    const otherAudience = createTokenVerifier({ publicKey: key.publicKey, audience: 'another-api' });
    const otherIssuer = createTokenVerifier({ publicKey: key.publicKey, issuer: 'https://another.example' });
    expect(await codeOf(otherAudience(`Bearer ${token}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(otherIssuer(`Bearer ${token}`))).toBe('UNAUTHENTICATED');
    // And the other way round: a token for another audience, signed by our key, is refused by ours even
    // once the other verifier has cached it.
    const foreign = await new SignJWT({ role: 'ClinicAdmin' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(DEV_ISSUER)
      .setAudience('another-api')
      .setSubject('staff-1')
      .setExpirationTime('1h')
      .sign(key.privateKey);
    await expect(otherAudience(`Bearer ${foreign}`)).resolves.toMatchObject({ role: 'ClinicAdmin' });
    expect(await codeOf(ours(`Bearer ${foreign}`))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed by another key even with the same claims as a cached one', async () => {
    const verify = createTokenVerifier({ publicKey: key.publicKey });
    const exp = Math.floor(T0 / 1000) + 3600;
    const token = await issueDevToken(key, { role: 'Patient', subject: clientId }, exp);
    await verify(`Bearer ${token}`);
    const stranger = await generateKeyPair('ES256');
    const forged = await issueDevToken(
      { ...key, privateKey: stranger.privateKey },
      { role: 'Patient', subject: clientId },
      exp,
    );
    expect(await codeOf(verify(`Bearer ${forged}`))).toBe('UNAUTHENTICATED');
  });

  it('hands out a copy of the identity: a caller changing it changes no later answer', async () => {
    const verify = createTokenVerifier({ publicKey: key.publicKey });
    const token = await issueDevToken(key, { role: 'Patient', subject: clientId });
    const first = await verify(`Bearer ${token}`);
    (first as { role: string }).role = 'SystemAdministrator';
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ role: 'Patient', subject: clientId });
  });
});

describe('VerifiedTokenCache', () => {
  const identity = { role: 'Patient' as const, subject: clientId };

  it('holds at most its number of entries, dropping the least recently used', () => {
    const cache = new VerifiedTokenCache(3);
    const until = T0 / 1000 + 3600;
    for (let i = 0; i < 100; i++) cache.set(`token-${i}`, identity, until);
    expect(cache.size).toBe(3);
    cache.get('token-97'); // used: kept over 98 when the next one comes
    cache.set('token-100', identity, until);
    expect(cache.get('token-97')).toEqual(identity);
    expect(cache.get('token-98')).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it('keeps nothing when its size is 0', () => {
    const cache = new VerifiedTokenCache(0);
    cache.set('token', identity, T0 / 1000 + 3600);
    expect(cache.size).toBe(0);
    expect(cache.get('token')).toBeUndefined();
  });

  it('is keyed by a hash of the whole token, never the token or a part of it', () => {
    const cache = new VerifiedTokenCache(10);
    const until = T0 / 1000 + 3600;
    cache.set('header.payload.signature-a', identity, until);
    expect(cache.get('header.payload.signature-b')).toBeUndefined();
    expect(cache.get('header.payload.signature-a')).toEqual(identity);
    expect(cache.get('header.payload')).toBeUndefined();
    for (const stored of cache.keys()) {
      expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/); // SHA-256, base64url
      expect(stored).not.toContain('header');
    }
  });

  it('forgets an entry at its time, however recently it was used', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('token', identity, T0 / 1000 + 10);
    jest.setSystemTime(T0 + 9_999);
    expect(cache.get('token')).toEqual(identity);
    jest.setSystemTime(T0 + 10_000);
    expect(cache.get('token')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
