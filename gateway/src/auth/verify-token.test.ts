import { sign, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
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

const encode = (part: unknown) =>
  Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);
const goodClaims = () => ({
  iss: DEV_ISSUER,
  aud: API_AUDIENCE,
  sub: 'staff-1',
  role: 'SystemAdministrator',
  iat: nowSeconds(),
  exp: nowSeconds() + 3600,
});
/** header.payload signed with the development key (ES256), whatever the header says: the signature is good. */
const devSigned = (header: string, payload: string) =>
  `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: key.privateKey as KeyObject,
    dsaEncoding: 'ieee-p1363',
  }).toString('base64url')}`;

/** Every message a refused token may get: fixed sentences, so none can carry what the caller sent. */
const REFUSALS = new Set([
  'The Authorization header must be "Bearer <JWT>".',
  'The token header is not valid.',
  'The token is not signed with an accepted algorithm (ES256).',
  'The token is not a JWT (typ).',
  "The token's key id (kid) is not valid.",
  'The token asks for header extensions this API does not support (crit).',
  'The token is signed with a key the issuer does not publish.',
  'The token signature is not valid.',
  'The token is not from a trusted issuer.',
  'The token is not meant for this API (audience).',
  'The token has expired. Sign in again.',
  'The token is not valid yet (nbf).',
  'The token has no valid expiry time (exp).',
  'The token was issued in the future (iat). Check the clock of the issuer.',
  "The token's issue time (iat) is not valid.",
  'The token lives longer than this API accepts. Ask the issuer for a shorter-lived token.',
  'The token is not valid.',
  'The token names no subject.',
  "A patient token's subject must be a client id.",
  'The token names no known role.',
  'The token names more than one role.',
]);

/** What a caller gets: 'identity', or 'CODE status: message' for a refusal. */
const outcome = async (authorization: string | undefined) => {
  try {
    const identity = await verify(authorization);
    return identity === null ? 'anonymous' : 'identity';
  } catch (error) {
    const { extensions, message } = error as { message: string; extensions?: Record<string, unknown> };
    const status = (extensions?.['http'] as { status?: number } | undefined)?.status;
    return `${String(extensions?.['code'])} ${String(status)}: ${message}`;
  }
};

describe('token header checks', () => {
  it('refuses an RS256 header against the ES256-only development issuer as 401, not a server error', async () => {
    const payload = encode(goodClaims());
    const rsa = await generateKeyPair('RS256');
    const realRs256 = await new SignJWT(goodClaims())
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .sign(rsa.privateKey);
    for (const token of [`${encode({ alg: 'RS256', typ: 'JWT' })}.${payload}.${encode('sig')}`, realRs256]) {
      expect(await outcome(`Bearer ${token}`)).toBe(
        'UNAUTHENTICATED 401: The token is not signed with an accepted algorithm (ES256).',
      );
    }
  });

  it.each([
    ['an HMAC algorithm', { alg: 'HS256' }, 'The token is not signed with an accepted algorithm (ES256).'],
    ['another curve', { alg: 'ES384' }, 'The token is not signed with an accepted algorithm (ES256).'],
    ['RSA-PSS', { alg: 'PS256' }, 'The token is not signed with an accepted algorithm (ES256).'],
    ['no algorithm', { typ: 'JWT' }, 'The token is not signed with an accepted algorithm (ES256).'],
    [
      'an algorithm that is not a string',
      { alg: ['ES256'] },
      'The token is not signed with an accepted algorithm (ES256).',
    ],
    ['a type other than JWT', { alg: 'ES256', typ: 'JWE' }, 'The token is not a JWT (typ).'],
    ['a type that is not a string', { alg: 'ES256', typ: 7 }, 'The token is not a JWT (typ).'],
    ['a huge kid', { alg: 'ES256', kid: 'k'.repeat(10_000) }, "The token's key id (kid) is not valid."],
    ['a kid that is not a string', { alg: 'ES256', kid: { a: 1 } }, "The token's key id (kid) is not valid."],
    [
      'a critical extension',
      { alg: 'ES256', crit: ['exp'], exp: 1 },
      'The token asks for header extensions this API does not support (crit).',
    ],
    [
      'an unencoded payload',
      { alg: 'ES256', b64: false, crit: ['b64'] },
      'The token asks for header extensions this API does not support (crit).',
    ],
  ])('refuses a header with %s, even when the signature is good', async (_name, header, message) => {
    const token = devSigned(encode(header), encode(goodClaims()));
    expect(await outcome(`Bearer ${token}`)).toBe(`UNAUTHENTICATED 401: ${message}`);
  });

  it.each([
    ['JSON that does not parse', encode('{"alg":"ES256"')],
    ['JSON that is not an object', encode(['ES256'])],
    ['null', encode('null')],
    ['bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')],
  ])('refuses a header of %s', async (_name, header) => {
    expect(await outcome(`Bearer ${devSigned(header, encode(goodClaims()))}`)).toBe(
      'UNAUTHENTICATED 401: The token header is not valid.',
    );
  });

  it('accepts the headers issuers really write: ES256 alone, with typ JWT, with a short kid', async () => {
    for (const header of [
      { alg: 'ES256' },
      { alg: 'ES256', typ: 'JWT' },
      { alg: 'ES256', typ: 'at+jwt', kid: 'k1' },
    ]) {
      expect(await outcome(`Bearer ${devSigned(encode(header), encode(goodClaims()))}`)).toBe('identity');
    }
  });
});

describe('token lifetime checks', () => {
  const lifetimeVerifier = () => createTokenVerifier({ publicKey: key.publicKey, clockToleranceSeconds: 30 });
  const outcomeOf = async (claims: Record<string, unknown>) =>
    lifetimeVerifier()(`Bearer ${devSigned(encode({ alg: 'ES256' }), encode(claims))}`).then(
      () => 'accepted',
      (error: { message: string; extensions?: { code?: string } }) =>
        `${String(error.extensions?.code)}: ${error.message}`,
    );

  it('refuses a token issued in the future beyond the clock skew, and accepts one within it', async () => {
    const now = nowSeconds();
    expect(await outcomeOf({ ...goodClaims(), iat: now + 20, exp: now + 3600 })).toBe('accepted');
    expect(await outcomeOf({ ...goodClaims(), iat: now + 600, exp: now + 3600 })).toBe(
      'UNAUTHENTICATED: The token was issued in the future (iat). Check the clock of the issuer.',
    );
    expect(await outcomeOf({ ...goodClaims(), iat: 'yesterday' })).toBe(
      "UNAUTHENTICATED: The token's issue time (iat) is not valid.",
    );
  });

  it('refuses a 50-year token, a token without exp, and one beyond the maximum lifetime', async () => {
    const now = nowSeconds();
    const fiftyYears = 50 * 365 * 86_400;
    expect(await outcomeOf({ ...goodClaims(), iat: now, exp: now + fiftyYears })).toBe(
      'UNAUTHENTICATED: The token lives longer than this API accepts. Ask the issuer for a shorter-lived token.',
    );
    const { exp: _exp, ...noExp } = goodClaims();
    expect(await outcomeOf(noExp)).toBe('UNAUTHENTICATED: The token has no valid expiry time (exp).');
    expect(await outcomeOf({ ...goodClaims(), exp: 'never' })).toBe(
      'UNAUTHENTICATED: The token has no valid expiry time (exp).',
    );
    expect(await outcomeOf({ ...goodClaims(), iat: now, exp: now + 86_400 + 60 })).toMatch(/lives longer/);
    // Without iat the remaining lifetime counts.
    const { iat: _iat, ...noIat } = goodClaims();
    expect(await outcomeOf({ ...noIat, exp: now + fiftyYears })).toMatch(/lives longer/);
    expect(await outcomeOf({ ...noIat, exp: now + 3600 })).toBe('accepted');
  });

  it('accepts the tokens npm start, npm run token and the console issue (8 hours) by default', async () => {
    const token = await issueDevToken(key, { role: 'Patient', subject: clientId });
    await expect(lifetimeVerifier()(`Bearer ${token}`)).resolves.toMatchObject({ role: 'Patient' });
    const day = await issueDevToken(key, { role: 'Patient', subject: clientId }, '24h');
    await expect(lifetimeVerifier()(`Bearer ${day}`)).resolves.toMatchObject({ role: 'Patient' });
  });

  it('honours a configured maximum lifetime', async () => {
    const strict = createTokenVerifier({ publicKey: key.publicKey, maxTokenLifetimeSeconds: 3600 });
    const now = nowSeconds();
    const sign = (exp: number) =>
      devSigned(encode({ alg: 'ES256' }), encode({ ...goodClaims(), iat: now, exp }));
    await expect(strict(`Bearer ${sign(now + 3600)}`)).resolves.toMatchObject({
      role: 'SystemAdministrator',
    });
    await expect(strict(`Bearer ${sign(now + 3601)}`)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});

describe('any token a caller can send', () => {
  // Shapes of headers and claims, valid and not, signed well or badly: nothing but an identity, no
  // header at all (anonymous), or a 401 UNAUTHENTICATED with one of the fixed messages comes back.
  const json = fc.jsonValue({ maxDepth: 2 });
  const header = fc.oneof(
    fc
      .record(
        {
          alg: fc.oneof(
            fc.constantFrom('ES256', 'RS256', 'none', 'HS256', 'PS256', 'ES384', 'EdDSA', 'ES256K'),
            json,
          ),
          typ: fc.oneof(fc.constantFrom('JWT', 'jwt', 'at+jwt', 'JOSE', 'application/jwt'), json),
          kid: fc.oneof(fc.string(), fc.string({ minLength: 200, maxLength: 3000 }), json),
          crit: fc.oneof(fc.constant(['b64']), json),
          b64: fc.boolean(),
          jwk: json,
        },
        { requiredKeys: [] },
      )
      .map(encode),
    json.map((value) => encode(JSON.stringify(value))),
    fc.string().map(encode),
    fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/),
  );
  const claim = (valid: fc.Arbitrary<unknown>) => fc.oneof(valid, json);
  const payload = fc.oneof(
    fc
      .record(
        {
          iss: claim(fc.constant(DEV_ISSUER)),
          aud: claim(fc.constantFrom(API_AUDIENCE, [API_AUDIENCE, 'x'])),
          sub: claim(fc.oneof(fc.constant(clientId), fc.string())),
          role: claim(fc.constantFrom('Patient', 'Doctor', 'SystemAdministrator')),
          iat: claim(fc.integer({ min: -100_000, max: 100_000 }).map((offset) => nowSeconds() + offset)),
          exp: claim(fc.integer({ min: -100_000, max: 10_000_000 }).map((offset) => nowSeconds() + offset)),
          nbf: claim(fc.integer({ min: -1000, max: 1000 }).map((offset) => nowSeconds() + offset)),
          'cognito:groups': claim(fc.constant(['Doctor', 'ClinicAdmin'])),
          clinic_id: json,
        },
        { requiredKeys: [] },
      )
      .map(encode),
    json.map((value) => encode(JSON.stringify(value))),
    fc.string().map(encode),
  );

  it('yields an identity, anonymity (no header) or a typed 401, never anything else', async () => {
    expect(await outcome(undefined)).toBe('anonymous');
    expect(await outcome('')).toBe('anonymous');
    await fc.assert(
      fc.asyncProperty(
        header,
        payload,
        fc.constantFrom('good', 'garbage', 'empty'),
        fc.constantFrom('Bearer ', 'bearer ', 'Bearer  ', ''),
        async (h, p, signature, scheme) => {
          const token =
            signature === 'good'
              ? devSigned(h, p)
              : `${h}.${p}.${signature === 'garbage' ? encode('x'.repeat(64)) : ''}`;
          const result = await outcome(`${scheme}${token}`);
          if (result === 'identity') return;
          expect(result).toMatch(/^UNAUTHENTICATED 401: /);
          expect(REFUSALS).toContain(result.replace(/^UNAUTHENTICATED 401: /, ''));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses any Authorization header that is not a bearer JWT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 300 }), async (authorization) => {
        const result = await outcome(authorization);
        if (result === 'anonymous') return;
        expect(REFUSALS).toContain(result.replace(/^UNAUTHENTICATED 401: /, ''));
      }),
    );
  });
});
