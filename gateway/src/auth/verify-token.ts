import { KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyLike,
  type ProtectedHeaderParameters,
} from 'jose';
import { appError, isRole, type Identity, type Role } from '@clinic/contracts';
import { API_AUDIENCE, DEV_ISSUER, isUuid } from '@clinic/platform';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Either the development issuer's public key (the embedded default) or a JWKS URL, such as a Cognito
 * user pool's `https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json`.
 */
export type TokenVerifierOptions = (
  { publicKey: KeyLike; jwksUrl?: undefined } | { jwksUrl: string; publicKey?: undefined }
) & {
  /** Required with a JWKS URL; Cognito's is `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  issuer?: string;
  /** Required with a JWKS URL; for Cognito the app client id (`aud` of ID tokens, `client_id` of access tokens). */
  audience?: string;
  clockToleranceSeconds?: number;
  /** Longest lifetime accepted (`exp - iat`, or what is left of it without `iat`); default 24 hours. */
  maxTokenLifetimeSeconds?: number;
  /** Verified tokens remembered (see VerifiedTokenCache); default 10,000, 0 checks every token in full. */
  cacheEntries?: number;
};

export type TokenVerifier = (authorization: string | undefined) => Promise<Identity | null>;

const ALGORITHMS = ['RS256', 'ES256'];
const DEFAULT_CLOCK_SKEW_SECONDS = 30;
// Cognito's longest token lifetime, and three times a development token's 8 hours.
const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;
// Issuers use short key ids (Cognito's are 44 characters); a longer one is not worth a key-set lookup.
const MAX_KID_LENGTH = 256;
// About 1 KB each (hash, identity); a clinic group's signed-in users fit many times over.
const DEFAULT_CACHE_ENTRIES = 10_000;
// A verified token is checked in full again after this: a key the issuer withdrew stops working soon.
const CACHE_SECONDS = 300;

const unauthenticated = (message: string) => appError('UNAUTHENTICATED', message, { http: { status: 401 } });

/**
 * No Authorization header means an anonymous caller, who sees public data only. A header that is present
 * but wrong (malformed, expired, not ours) is refused outright with a message saying why, so a broken
 * client notices at once.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const key: KeyLike | JWTVerifyGetKey =
    options.jwksUrl === undefined
      ? options.publicKey
      : // jose caches the key set, refetches it for an unknown kid at most every 30 s, times out at 5 s.
        createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  // One fixed key verifies one algorithm: jose would throw a TypeError (a 500) for another one.
  const algorithms = options.publicKey === undefined ? ALGORITHMS : algorithmsOf(options.publicKey);
  const wrongAlgorithm = `The token is not signed with an accepted algorithm (${algorithms.join(' or ')}).`;
  const issuer = options.issuer ?? DEV_ISSUER;
  const audience = options.audience ?? API_AUDIENCE;
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const maxLifetime = options.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const verified = new VerifiedTokenCache(options.cacheEntries ?? DEFAULT_CACHE_ENTRIES);

  return async (authorization) => {
    if (!authorization) return null;
    // The signature part may be empty so that an unsigned ("alg": "none") token gets its own clear refusal.
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <JWT>".');
    const token = match[1];
    // The same token, every byte of it, verified by this verifier (its key, issuer, audience) before.
    const known = verified.get(token);
    if (known) return known;
    checkHeader(token, algorithms, wrongAlgorithm);
    let payload: JWTPayload;
    try {
      // jose's overloads split on the key's type; both kinds verify the same way.
      ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
        issuer,
        clockTolerance,
        algorithms,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw refusal(error, wrongAlgorithm, options.jwksUrl === undefined);
    }
    checkLifetime(payload, clockTolerance, maxLifetime);
    if (!meantFor(payload, audience))
      throw unauthenticated('The token is not meant for this API (audience).');
    const identity = identityOf(payload);
    // Until its expiry without the clock skew (past it the full check decides), capped by CACHE_SECONDS.
    verified.set(
      token,
      identity,
      Math.min(payload.exp as number, Math.floor(Date.now() / 1000) + CACHE_SECONDS),
    );
    return identity;
  };
}

/** The algorithm a fixed public key verifies: ES256 for the development issuer's P-256 key. */
function algorithmsOf(publicKey: KeyLike): string[] {
  const ec =
    publicKey instanceof KeyObject
      ? publicKey.asymmetricKeyType === 'ec'
      : 'algorithm' in publicKey && (publicKey.algorithm as { name?: unknown }).name === 'ECDSA';
  return ec ? ['ES256'] : ['RS256'];
}

/**
 * The JOSE header is the caller's to write: anything but what our issuers write is refused before jose
 * or the key set sees it, so no header shape can reach a code path that answers 500.
 */
function checkHeader(token: string, algorithms: string[], wrongAlgorithm: string): void {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw unauthenticated('The token header is not valid.');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw unauthenticated('The token header is not valid.');
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg))
    throw unauthenticated(wrongAlgorithm);
  // RFC 7519 recommends "JWT"; RFC 9068 access tokens say "at+jwt"; Cognito writes none.
  if (
    header.typ !== undefined &&
    !(typeof header.typ === 'string' && /^(application\/)?(at\+)?jwt$/i.test(header.typ))
  )
    throw unauthenticated('The token is not a JWT (typ).');
  if (header.kid !== undefined && !(typeof header.kid === 'string' && header.kid.length <= MAX_KID_LENGTH))
    throw unauthenticated("The token's key id (kid) is not valid.");
  // Our issuers use no extensions; "b64": false would even change what is signed.
  if (header.crit !== undefined || header.b64 !== undefined)
    throw unauthenticated('The token asks for header extensions this API does not support (crit).');
}

/** A token from the future, or one that lives longer than we accept, is refused even if well signed. */
function checkLifetime(payload: JWTPayload, clockTolerance: number, maxLifetime: number): void {
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = payload;
  // jose has checked that exp is present and a number, and iat a number when present.
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    throw unauthenticated('The token has no valid expiry time (exp).');
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat)))
    throw unauthenticated("The token's issue time (iat) is not valid.");
  if (iat !== undefined && iat > now + clockTolerance)
    throw unauthenticated('The token was issued in the future (iat). Check the clock of the issuer.');
  const lifetime = iat === undefined ? exp - now - clockTolerance : exp - iat;
  if (lifetime > maxLifetime)
    throw unauthenticated(
      'The token lives longer than this API accepts. Ask the issuer for a shorter-lived token.',
    );
}

const CLAIM_REFUSALS: Record<string, string> = {
  iss: 'The token is not from a trusted issuer.',
  exp: 'The token has no valid expiry time (exp).',
  iat: "The token's issue time (iat) is not valid.",
  nbf: 'The token is not valid yet (nbf).',
  sub: 'The token names no subject.',
};

/**
 * Why a token was refused, in fixed words a client developer can act on (nothing of the token is
 * echoed). A key set that cannot be fetched is our failure and stays internal (masked, logged).
 */
function refusal(error: unknown, wrongAlgorithm: string, fixedKey: boolean): unknown {
  if (error instanceof errors.JWTExpired) return unauthenticated('The token has expired. Sign in again.');
  if (error instanceof errors.JWTClaimValidationFailed)
    return unauthenticated(CLAIM_REFUSALS[error.claim] ?? 'The token is not valid.');
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return unauthenticated(wrongAlgorithm);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return unauthenticated('The token is signed with a key the issuer does not publish.');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return unauthenticated('The token signature is not valid.');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return error;
  // jose's plain JOSEError is how its key-set fetch reports a non-200 answer or unparsable JSON.
  if (error instanceof errors.JOSEError && error.code === errors.JOSEError.code && !fixedKey) return error;
  if (error instanceof errors.JOSEError) return unauthenticated('The token is not valid.');
  // A fixed key involves no I/O: whatever else jose throws (a TypeError about the key) the token caused.
  if (fixedKey && error instanceof TypeError) return unauthenticated('The token is not valid.');
  return error;
}

/** ID tokens name the audience in `aud`; Cognito access tokens carry no `aud` but a `client_id`. */
function meantFor(payload: JWTPayload, audience: string): boolean {
  const aud = payload.aud === undefined ? [] : [payload.aud].flat();
  if (aud.length > 0) return aud.includes(audience);
  return payload['token_use'] === 'access' && payload['client_id'] === audience;
}

/**
 * Claims to identity. The development issuer writes `role` and `clinic_id`. Cognito: the user's group in
 * `cognito:groups` (groups named exactly like the roles) is the role, `custom:clinic_id` the clinic, and a
 * patient's subject is `custom:client_id` when the pool sets it, else `sub` (a UUID in Cognito).
 */
function identityOf(payload: JWTPayload): Identity {
  const role = roleOf(payload);
  const clinicId = payload['custom:clinic_id'] ?? payload['clinic_id'];
  const customClientId = payload['custom:client_id'];
  const subject = role === 'Patient' && typeof customClientId === 'string' ? customClientId : payload.sub;
  if (typeof subject !== 'string' || !subject) throw unauthenticated('The token names no subject.');
  if (role === 'Patient' && !isUuid(subject))
    throw unauthenticated("A patient token's subject must be a client id.");
  return typeof clinicId === 'string' ? { role, subject, clinicId } : { role, subject };
}

function roleOf(payload: JWTPayload): Role {
  if (payload['role'] !== undefined) {
    if (isRole(payload['role'])) return payload['role'];
    throw unauthenticated('The token names no known role.');
  }
  const groups = payload['cognito:groups'];
  const roles = Array.isArray(groups) ? groups.filter(isRole) : [];
  // Two roles would leave us guessing which one the user acts in; an administrator must fix the pool.
  if (roles.length > 1) throw unauthenticated('The token names more than one role.');
  if (!roles[0]) throw unauthenticated('The token names no known role.');
  return roles[0];
}
