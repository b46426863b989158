import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type KeyLike } from 'jose';
import type { Identity } from '@clinic/contracts';

/**
 * The development token issuer of the embedded default. Its ES256 key lives in the data folder so the
 * gateway and `npm run token` agree across restarts; production verifies Cognito tokens instead.
 */
export const DEV_ISSUER = 'urn:clinic-scheduling:dev-issuer';
export const API_AUDIENCE = 'clinic-scheduling-api';
const ALGORITHM = 'ES256';

export interface DevSigningKey {
  privateKey: KeyLike;
  publicKey: KeyLike;
}

export async function loadOrCreateDevSigningKey(dataDir: string): Promise<DevSigningKey> {
  const file = path.join(dataDir, 'dev-issuer', 'signing-key.jwk.json');
  if (!existsSync(file)) {
    const pair = await generateKeyPair(ALGORITHM, { extractable: true });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(await exportJWK(pair.privateKey)), { mode: 0o600 });
  }
  const privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { d: _secret, ...publicJwk } = privateJwk;
  return {
    privateKey: (await importJWK(privateJwk, ALGORITHM)) as KeyLike,
    publicKey: (await importJWK(publicJwk, ALGORITHM)) as KeyLike,
  };
}

export async function issueDevToken(
  key: DevSigningKey,
  identity: Identity,
  expiresIn: string | number = '8h',
): Promise<string> {
  const claims: Record<string, string> = { role: identity.role };
  if (identity.clinicId) claims['clinic_id'] = identity.clinicId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM })
    .setIssuer(DEV_ISSUER)
    .setAudience(API_AUDIENCE)
    .setSubject(identity.subject)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key.privateKey);
}
