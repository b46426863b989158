import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { isRole, type Identity } from '@clinic/contracts';

/**
 * The one header through which the gateway tells a subgraph who is calling: a compact JWS (HS256, via
 * jose rather than hand-rolled HMAC) over role, subject, clinic, correlation id and issue time, valid for
 * a minute, signed with a secret only the gateway and the subgraphs share. A subgraph trusts nothing
 * else, so calling one directly (bypassing the gateway's token checks and limits) yields nothing.
 */
export const INTERNAL_IDENTITY_HEADER = 'x-internal-identity';

const ISSUER = 'clinic-scheduling-gateway';
const AUDIENCE = 'clinic-scheduling-subgraphs';
const LIFETIME_SECONDS = 60;
const MIN_SECRET_LENGTH = 32;

/** A fresh random secret, for the embedded default that runs the gateway and subgraphs in one process. */
export function generateInternalIdentitySecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The last secret's key, made once: from bytes jose made a new KeyObject on every signature and check,
 * one of each request's costs at the gateway and at every subgraph (profiled). One entry, as a process
 * has one secret (a test may make a few in turn).
 */
let lastKey: { secret: string; key: KeyObject } | null = null;

function keyOf(secret: string): KeyObject {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new Error(`INTERNAL_IDENTITY_SECRET must be at least ${MIN_SECRET_LENGTH} characters long.`);
  if (lastKey?.secret !== secret)
    lastKey = { secret, key: createSecretKey(new TextEncoder().encode(secret)) };
  return lastKey.key;
}

/** Signs the verified identity (null: an anonymous caller, who still must come through the gateway). */
export async function signInternalIdentity(
  secret: string,
  identity: Identity | null,
  correlationId: string,
): Promise<string> {
  const claims: Record<string, string> = { cid: correlationId };
  if (identity) {
    claims['role'] = identity.role;
    if (identity.clinicId) claims['clinic_id'] = identity.clinicId;
  }
  const jws = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`);
  if (identity) jws.setSubject(identity.subject);
  return jws.sign(keyOf(secret));
}

/** Why a request's internal identity was refused; logged by the subgraph, never shown to the caller. */
export class InternalIdentityError extends Error {}

/**
 * Checks the header's signature, lifetime and that it was issued for this very request (its correlation
 * id); returns the identity, or null for an anonymous caller. Throws InternalIdentityError otherwise.
 */
export async function verifyInternalIdentity(
  secret: string,
  header: string | string[] | undefined,
  correlationId: string,
): Promise<Identity | null> {
  if (typeof header !== 'string' || !header) throw new InternalIdentityError('no internal identity header');
  let payload;
  try {
    ({ payload } = await jwtVerify(header, keyOf(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      maxTokenAge: `${LIFETIME_SECONDS}s`,
      clockTolerance: 5,
      requiredClaims: ['iat', 'exp', 'cid'],
    }));
  } catch (error) {
    throw new InternalIdentityError(
      `internal identity refused: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (payload['cid'] !== correlationId)
    throw new InternalIdentityError('internal identity was issued for another request');
  const { role, sub, clinic_id: clinicId } = payload;
  if (role === undefined && sub === undefined) return null;
  if (!isRole(role) || typeof sub !== 'string' || !sub)
    throw new InternalIdentityError('internal identity names no known role');
  return typeof clinicId === 'string' ? { role, subject: sub, clinicId } : { role, subject: sub };
}
