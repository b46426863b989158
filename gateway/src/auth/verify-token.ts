import { errors, jwtVerify, type KeyLike } from 'jose';
import { API_AUDIENCE, appError, DEV_ISSUER, isRole, isUuid, type Identity } from '@clinic/platform';

export interface TokenVerifierOptions {
  /** The development issuer's public key. Verification against a JWKS URL arrives with issue 5. */
  publicKey: KeyLike;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds?: number;
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Identity | null>;

const unauthenticated = (message: string) => appError('UNAUTHENTICATED', message, { http: { status: 401 } });

/**
 * No Authorization header means an anonymous caller, who sees public data only. A header that is present
 * but wrong (malformed, expired, not ours) is refused outright, so a broken client notices at once.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  return async (authorization) => {
    if (!authorization) return null;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization.trim());
    if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <JWT>".');
    try {
      const { payload } = await jwtVerify(match[1], options.publicKey, {
        issuer: options.issuer ?? DEV_ISSUER,
        audience: options.audience ?? API_AUDIENCE,
        clockTolerance: options.clockToleranceSeconds ?? 30,
        algorithms: ['ES256'],
        requiredClaims: ['sub', 'exp'],
      });
      const { role, sub, clinic_id: clinicId } = payload;
      if (!isRole(role) || typeof sub !== 'string' || !sub)
        throw unauthenticated('The token names no known role.');
      if (role === 'Patient' && !isUuid(sub))
        throw unauthenticated("A patient token's subject must be a client id.");
      return typeof clinicId === 'string' ? { role, subject: sub, clinicId } : { role, subject: sub };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated('The token has expired. Sign in again.');
      if (error instanceof errors.JOSEError) throw unauthenticated('The token is not valid.');
      throw error;
    }
  };
}
