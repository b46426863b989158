import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { createTokenVerifier, type TokenVerifier } from './verify-token';

// A Cognito-shaped issuer: real RS256 and ES256 keys, published by a JWKS server on a free local port.
const issuer = 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_example';
const audience = 'example-app-client-id';
const clientId = '0b7f7d4e-5d1c-4a8e-9a55-0d9a3c1e2f10';
const clinicId = '7e1f7c9a-3b2d-4c5e-8f90-1a2b3c4d5e6f';

let server: Server;
let port: number;
let verify: TokenVerifier;
const keys: Record<'RS256' | 'ES256', { privateKey: KeyLike; kid: string }> = {} as never;

beforeAll(async () => {
  const published: JWK[] = [];
  for (const alg of ['RS256', 'ES256'] as const) {
    const pair = await generateKeyPair(alg);
    const kid = `${alg}-key`;
    keys[alg] = { privateKey: pair.privateKey, kid };
    published.push({ ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' });
  }
  server = createServer((request, response) => {
    // /down stands for an issuer whose key set is failing: our outage, not the caller's mistake.
    if (request.url === '/down') {
      response.statusCode = 503;
      response.end('unavailable');
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ({ port } = server.address() as AddressInfo);
  verify = createTokenVerifier({
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    issuer,
    audience,
    clockToleranceSeconds: 30,
  });
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

interface Claims {
  alg?: 'RS256' | 'ES256';
  kid?: string;
  iss?: string;
  aud?: string | null;
  exp?: number;
  iat?: number;
  sub?: string;
  extra?: Record<string, unknown>;
}

/** An ID token as Cognito issues them: groups, custom attributes, `aud` = the app client id. */
async function cognitoToken(claims: Claims = {}, signWith?: KeyLike): Promise<string> {
  const alg = claims.alg ?? 'RS256';
  const jwt = new SignJWT({ token_use: 'id', 'cognito:groups': ['Doctor'], ...claims.extra })
    .setProtectedHeader({ alg, kid: claims.kid ?? keys[alg].kid })
    .setIssuer(claims.iss ?? issuer)
    .setSubject(claims.sub ?? 'a1b2c3d4-0000-4000-8000-000000000001')
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp ?? '1h');
  if (claims.aud !== null) jwt.setAudience(claims.aud ?? audience);
  return jwt.sign(signWith ?? keys[alg].privateKey);
}

const refusal = async (token: string) =>
  verify(`Bearer ${token}`).then(
    () => 'accepted',
    (error: { message: string; extensions?: { code?: string } }) =>
      `${error.extensions?.code}: ${error.message}`,
  );

describe('tokens verified against a JWKS URL (Cognito)', () => {
  it.each(['RS256', 'ES256'] as const)('accepts an %s token and maps its Cognito claims', async (alg) => {
    const token = await cognitoToken({ alg, extra: { 'custom:clinic_id': clinicId } });
    await expect(verify(`Bearer ${token}`)).resolves.toEqual({
      role: 'Doctor',
      subject: 'a1b2c3d4-0000-4000-8000-000000000001',
      clinicId,
    });
  });

  it('takes a patient subject from custom:client_id, and accepts an access token by its client_id', async () => {
    const patient = await cognitoToken({
      extra: { 'cognito:groups': ['Patient'], 'custom:client_id': clientId },
    });
    await expect(verify(`Bearer ${patient}`)).resolves.toEqual({ role: 'Patient', subject: clientId });
    const access = await cognitoToken({ aud: null, extra: { token_use: 'access', client_id: audience } });
    await expect(verify(`Bearer ${access}`)).resolves.toMatchObject({ role: 'Doctor' });
  });

  it('refuses another issuer, another audience, and an access token for another client', async () => {
    expect(await refusal(await cognitoToken({ iss: 'https://evil.example' }))).toBe(
      'UNAUTHENTICATED: The token is not from a trusted issuer.',
    );
    expect(await refusal(await cognitoToken({ aud: 'another-client' }))).toBe(
      'UNAUTHENTICATED: The token is not meant for this API (audience).',
    );
    const access = await cognitoToken({ aud: null, extra: { token_use: 'access', client_id: 'another' } });
    expect(await refusal(access)).toMatch(/^UNAUTHENTICATED: .*audience/);
  });

  it('accepts a token expired within the clock skew, not one expired beyond it', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusal(await cognitoToken({ exp: now - 10 }))).toBe('accepted');
    expect(await refusal(await cognitoToken({ exp: now - 120 }))).toBe(
      'UNAUTHENTICATED: The token has expired. Sign in again.',
    );
  });

  it('refuses an unknown kid, a foreign key under a known kid, and an unsigned token', async () => {
    expect(await refusal(await cognitoToken({ kid: 'rotated-away' }))).toBe(
      'UNAUTHENTICATED: The token is signed with a key the issuer does not publish.',
    );
    const stranger = await generateKeyPair('RS256');
    expect(await refusal(await cognitoToken({}, stranger.privateKey))).toBe(
      'UNAUTHENTICATED: The token signature is not valid.',
    );
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
      iss: issuer,
      aud: audience,
      sub: 'x',
      exp: now + 3600,
      'cognito:groups': ['SystemAdministrator'],
    })}.`;
    expect(await refusal(unsigned)).toBe(
      'UNAUTHENTICATED: The token is not signed with an accepted algorithm (RS256 or ES256).',
    );
  });

  it('refuses a user in no role group, or in two', async () => {
    expect(await refusal(await cognitoToken({ extra: { 'cognito:groups': ['Everyone'] } }))).toBe(
      'UNAUTHENTICATED: The token names no known role.',
    );
    expect(
      await refusal(await cognitoToken({ extra: { 'cognito:groups': ['Doctor', 'ClinicAdmin'] } })),
    ).toBe('UNAUTHENTICATED: The token names more than one role.');
  });
});

describe('what a token names in its header, against a JWKS', () => {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({
    iss: issuer,
    aud: audience,
    sub: 'a1b2c3d4-0000-4000-8000-000000000001',
    'cognito:groups': ['Doctor'],
    iat: now(),
    exp: now() + 3600,
  });

  it('refuses an algorithm that does not match the key its kid names, as 401', async () => {
    for (const header of [
      { alg: 'RS256', kid: keys.ES256.kid },
      { alg: 'ES256', kid: keys.RS256.kid },
    ]) {
      const token = `${encode(header)}.${encode(claims())}.${encode('signature')}`;
      expect(await refusal(token)).toBe(
        'UNAUTHENTICATED: The token is signed with a key the issuer does not publish.',
      );
    }
    const hs = `${encode({ alg: 'HS256', kid: keys.RS256.kid })}.${encode(claims())}.${encode('signature')}`;
    expect(await refusal(hs)).toBe(
      'UNAUTHENTICATED: The token is not signed with an accepted algorithm (RS256 or ES256).',
    );
  });

  it('refuses a huge kid, a wrong typ and a malformed header before looking for a key', async () => {
    const body = `${encode(claims())}.${encode('signature')}`;
    expect(await refusal(`${encode({ alg: 'RS256', kid: 'k'.repeat(5000) })}.${body}`)).toBe(
      "UNAUTHENTICATED: The token's key id (kid) is not valid.",
    );
    expect(await refusal(`${encode({ alg: 'RS256', kid: keys.RS256.kid, typ: 'JWE' })}.${body}`)).toBe(
      'UNAUTHENTICATED: The token is not a JWT (typ).',
    );
    expect(await refusal(`${Buffer.from('{"alg":').toString('base64url')}.${body}`)).toBe(
      'UNAUTHENTICATED: The token header is not valid.',
    );
  });

  it('refuses a Cognito-shaped token issued in the future or living longer than the maximum', async () => {
    const future = await cognitoToken({ iat: now() + 3600, exp: now() + 7200 });
    expect(await refusal(future)).toBe(
      'UNAUTHENTICATED: The token was issued in the future (iat). Check the clock of the issuer.',
    );
    const forever = await cognitoToken({ exp: now() + 50 * 365 * 86_400 });
    expect(await refusal(forever)).toBe(
      'UNAUTHENTICATED: The token lives longer than this API accepts. Ask the issuer for a shorter-lived token.',
    );
  });

  it('treats a failing key set as our failure, not as a refused token', async () => {
    const down = createTokenVerifier({ jwksUrl: `http://127.0.0.1:${port}/down`, issuer, audience });
    const error = await down(`Bearer ${await cognitoToken()}`).then(
      () => undefined,
      (caught: unknown) => caught as { extensions?: { code?: string } },
    );
    expect(error).toBeDefined();
    expect(error?.extensions?.code).not.toBe('UNAUTHENTICATED');
  });
});
