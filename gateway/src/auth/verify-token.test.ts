import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import {
  API_AUDIENCE,
  DEV_ISSUER,
  issueDevToken,
  loadOrCreateDevSigningKey,
  type DevSigningKey,
} from '@clinic/platform';
import { createTokenVerifier, type TokenVerifier } from './verify-token';

let key: DevSigningKey;
let verify: TokenVerifier;
const clientId = '0b7f7d4e-5d1c-4a8e-9a55-0d9a3c1e2f10';

beforeAll(async () => {
  key = await loadOrCreateDevSigningKey(mkdtempSync(path.join(os.tmpdir(), 'issuer-')));
  verify = createTokenVerifier({ publicKey: key.publicKey });
});

/** A token with chosen claims, signed by the development key: for claims the dev issuer never makes. */
const signed = (claims: { role: string; iss?: string; aud?: string; sub?: string }) =>
  new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(claims.iss ?? DEV_ISSUER)
    .setAudience(claims.aud ?? API_AUDIENCE)
    .setSubject(claims.sub ?? 'staff-1')
    .setExpirationTime('1h')
    .sign(key.privateKey);

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { extensions?: { code?: string } }) => error.extensions?.code,
  );

describe('createTokenVerifier', () => {
  it('treats a request without a token as anonymous', async () => {
    await expect(verify(undefined)).resolves.toBeNull();
  });

  it('accepts a development token and yields its identity', async () => {
    const token = await issueDevToken(key, { role: 'ClinicAdmin', subject: 'staff-7', clinicId: clientId });
    await expect(verify(`Bearer ${token}`)).resolves.toEqual({
      role: 'ClinicAdmin',
      subject: 'staff-7',
      clinicId: clientId,
    });
  });

  it('tolerates small clock skew but not a token expired beyond it', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(
      verify(`Bearer ${await issueDevToken(key, { role: 'Patient', subject: clientId }, now - 10)}`),
    ).resolves.toMatchObject({
      role: 'Patient',
    });
    expect(
      await codeOf(
        verify(`Bearer ${await issueDevToken(key, { role: 'Patient', subject: clientId }, now - 120)}`),
      ),
    ).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example', aud: API_AUDIENCE }],
    ['another audience', { iss: DEV_ISSUER, aud: 'someone-else' }],
  ])('refuses a token from %s', async (_name, { iss, aud }) => {
    const token = await signed({ role: 'SystemAdministrator', iss, aud });
    expect(await codeOf(verify(`Bearer ${token}`))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another key, an unknown role, and a patient without a client id', async () => {
    const stranger = await generateKeyPair('ES256');
    const forged = await issueDevToken(
      { ...key, privateKey: stranger.privateKey },
      { role: 'SystemAdministrator', subject: 'x' },
    );
    expect(await codeOf(verify(`Bearer ${forged}`))).toBe('UNAUTHENTICATED');
    const unknownRole = await signed({ role: 'Superuser', sub: 'x' });
    expect(await codeOf(verify(`Bearer ${unknownRole}`))).toBe('UNAUTHENTICATED');
    const patient = await issueDevToken(key, { role: 'Patient', subject: 'jane@example.com' });
    expect(await codeOf(verify(`Bearer ${patient}`))).toBe('UNAUTHENTICATED');
  });

  it('refuses a malformed Authorization header', async () => {
    for (const header of ['Bearer', 'Bearer not-a-jwt', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c.d']) {
      expect(await codeOf(verify(header))).toBe('UNAUTHENTICATED');
    }
  });
});
