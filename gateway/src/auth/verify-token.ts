import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import {
  API_AUDIENCE,
  appError,
  DEV_ISSUER,
  isRole,
  isUuid,
  type Identity,
  type Role,
} from '@clinic/platform';

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
};

export type TokenVerifier = (authorization: string | undefined) => Promise<Identity | null>;

const ALGORITHMS = ['RS256', 'ES256'];
const DEFAULT_CLOCK_SKEW_SECONDS = 30;

/** AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, AUTH_CLOCK_SKEW_SECONDS; the development issuer when unset. */
export function tokenVerifierOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  devPublicKey: KeyLike,
): TokenVerifierOptions {
  const skew = env['AUTH_CLOCK_SKEW_SECONDS'];
  const clockToleranceSeconds = skew === undefined ? DEFAULT_CLOCK_SKEW_SECONDS : Number(skew);
  if (!Number.isInteger(clockToleranceSeconds) || clockToleranceSeconds < 0 || clockToleranceSeconds > 300)
    throw new Error('AUTH_CLOCK_SKEW_SECONDS must be a whole number of seconds between 0 and 300.');
  const jwksUrl = env['AUTH_JWKS_URL'];
  if (!jwksUrl) return { publicKey: devPublicKey, clockToleranceSeconds };
  const issuer = env['AUTH_ISSUER'];
  const audience = env['AUTH_AUDIENCE'];
  if (!issuer || !audience) throw new Error('AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE as well.');
  return { jwksUrl, issuer, audience, clockToleranceSeconds };
}

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
  const issuer = options.issuer ?? DEV_ISSUER;
  const audience = options.audience ?? API_AUDIENCE;
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;

  return async (authorization) => {
    if (!authorization) return null;
    // The signature part may be empty so that an unsigned ("alg": "none") token gets its own clear refusal.
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <JWT>".');
    let payload: JWTPayload;
    try {
      // jose's overloads split on the key's type; both kinds verify the same way.
      ({ payload } = await jwtVerify(match[1], key as JWTVerifyGetKey, {
        issuer,
        clockTolerance,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw refusal(error);
    }
    if (!meantFor(payload, audience))
      throw unauthenticated('The token is not meant for this API (audience).');
    return identityOf(payload);
  };
}

/** Why a token was refused, in words a client developer can act on; key-set outages stay internal. */
function refusal(error: unknown): unknown {
  if (error instanceof errors.JWTExpired) return unauthenticated('The token has expired. Sign in again.');
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss')
    return unauthenticated('The token is not from a trusted issuer.');
  if (error instanceof errors.JWTClaimValidationFailed)
    return unauthenticated(`The token's "${error.claim}" claim is missing or not acceptable.`);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return unauthenticated('The token is not signed with an accepted algorithm (RS256 or ES256).');
  if (error instanceof errors.JWKSNoMatchingKey)
    return unauthenticated('The token is signed with a key the issuer does not publish.');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return unauthenticated('The token signature is not valid.');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return error;
  if (error instanceof errors.JOSEError) return unauthenticated('The token is not valid.');
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
