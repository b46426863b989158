import { SignJWT } from 'jose';
import {
  generateInternalIdentitySecret,
  InternalIdentityError,
  signInternalIdentity,
  verifyInternalIdentity,
} from './internal-identity';

const secret = generateInternalIdentitySecret();
const doctor = {
  role: 'Doctor' as const,
  subject: 'staff-3',
  clinicId: '7e1f7c9a-3b2d-4c5e-8f90-1a2b3c4d5e6f',
};

describe('the signed internal identity header', () => {
  it('carries an identity, or an anonymous caller, from gateway to subgraph', async () => {
    await expect(
      verifyInternalIdentity(secret, await signInternalIdentity(secret, doctor, 'req-1'), 'req-1'),
    ).resolves.toEqual(doctor);
    await expect(
      verifyInternalIdentity(secret, await signInternalIdentity(secret, null, 'req-2'), 'req-2'),
    ).resolves.toBeNull();
  });

  it('refuses a missing header, another secret, another request, and a tampered or stale one', async () => {
    const header = await signInternalIdentity(secret, doctor, 'req-1');
    const refused = (promise: Promise<unknown>) =>
      expect(promise).rejects.toBeInstanceOf(InternalIdentityError);
    await refused(verifyInternalIdentity(secret, undefined, 'req-1'));
    await refused(verifyInternalIdentity(generateInternalIdentitySecret(), header, 'req-1'));
    await refused(verifyInternalIdentity(secret, header, 'req-other'));
    const [head, , signature] = header.split('.');
    const forged = Buffer.from(
      JSON.stringify({ role: 'SystemAdministrator', sub: 'x', cid: 'req-1' }),
    ).toString('base64url');
    await refused(verifyInternalIdentity(secret, `${head}.${forged}.${signature}`, 'req-1'));
    const now = Math.floor(Date.now() / 1000);
    const stale = await new SignJWT({ cid: 'req-1', role: 'Doctor' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('clinic-scheduling-gateway')
      .setAudience('clinic-scheduling-subgraphs')
      .setSubject('staff-3')
      .setIssuedAt(now - 600)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(secret));
    await refused(verifyInternalIdentity(secret, stale, 'req-1'));
  });

  it('refuses a short secret', async () => {
    await expect(signInternalIdentity('too-short', null, 'req-1')).rejects.toThrow(/at least 32/);
  });
});
