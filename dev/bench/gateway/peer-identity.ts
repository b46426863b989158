import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { isRole, type Identity } from '@clinic/contracts';
import { CORRELATION_HEADER, INTERNAL_IDENTITY_HEADER, signInternalIdentity } from '@clinic/platform';

/**
 * BENCH ONLY. The hook that lets a gateway other than ours call the subgraphs, which answer only requests
 * whose identity a gateway signed with the shared secret. It takes the caller's identity from the bearer
 * token's claims WITHOUT checking the token (the bench sends only tokens it issued itself), so the other
 * gateways do not pay for the end-user token check the project's gateway makes: the ratios include it.
 * One correlation id and one signature per incoming request, shared by all its subgraph fetches, as the
 * project's gateway does.
 */
export interface SignedHeaders {
  [CORRELATION_HEADER]: string;
  [INTERNAL_IDENTITY_HEADER]: string;
}

export function peerIdentitySigner(
  secret: string,
): (authorization: string | null | undefined) => Promise<SignedHeaders> {
  return async (authorization) => {
    const correlationId = randomUUID();
    const signature = await signInternalIdentity(secret, identityOf(authorization), correlationId);
    return { [CORRELATION_HEADER]: correlationId, [INTERNAL_IDENTITY_HEADER]: signature };
  };
}

function identityOf(authorization: string | null | undefined): Identity | null {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return null;
  const claims = decodeJwt(token);
  const role = claims['role'];
  if (!isRole(role) || typeof claims.sub !== 'string')
    throw new Error('the bench sent a token it did not issue');
  const clinicId = claims['clinic_id'];
  return typeof clinicId === 'string'
    ? { role, subject: claims.sub, clinicId }
    : { role, subject: claims.sub };
}

/** The supergraph with each subgraph's routing URL replaced by where it runs in this bench. */
export function routedSupergraph(sdl: string, urls: Record<string, string>): string {
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) => {
    const url = urls[name];
    if (!url) throw new Error(`no URL for subgraph ${name}`);
    return `@join__graph(name: "${name}", url: "${url}")`;
  });
}
