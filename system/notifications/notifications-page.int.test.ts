import { Writable } from 'node:stream';
import type { Identity } from '@clinic/contracts';
import { CORRELATION_HEADER, INTERNAL_IDENTITY_HEADER, signInternalIdentity } from '@clinic/platform';
import { DEV_NOTIFICATIONS_PATH } from '@clinic/patients-subgraph';
import { startTestSystem, type TestSystem } from '../test-system';

// The development sink's page lists every recipient's email address and phone number: only a signed-in
// system administrator may read it, and only through the gateway.
let system: TestSystem;
const logLines: { level: number; msg?: string; err?: unknown }[] = [];

beforeAll(async () => {
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logLines.push(JSON.parse(line) as (typeof logLines)[number]);
      done();
    },
  });
  system = await startTestSystem({}, {}, { logLevel: 'info', logDestination });
}, 600_000);
afterAll(() => system?.stop());

const admin: Identity = { role: 'SystemAdministrator', subject: 'staff-sysadmin-1' };
const subgraphPage = () => new URL(DEV_NOTIFICATIONS_PATH, system.subgraphUrls.patients).toString();
const gatewayPage = () => new URL(DEV_NOTIFICATIONS_PATH, system.gatewayUrl).toString();
const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
/** A token whose header names RS256, which the development issuer (one ES256 key) never uses. */
const rs256Token = () =>
  `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 })}.${encode('signature')}`;

describe('the development notification sink page', () => {
  it('is not served to anyone calling the patients subgraph directly: a bare 401', async () => {
    const token = await system.token(admin);
    for (const headers of [
      {} as Record<string, string>,
      { authorization: `Bearer ${token}` },
      { [INTERNAL_IDENTITY_HEADER]: 'forged', [CORRELATION_HEADER]: 'c-1' },
    ]) {
      const response = await fetch(subgraphPage(), { headers });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
  });

  it('is answered by the subgraph only for an internal identity of a system administrator', async () => {
    const signed = async (identity: Identity | null) => {
      const correlationId = `dev-page-${identity?.role ?? 'anonymous'}`;
      return fetch(subgraphPage(), {
        headers: {
          [CORRELATION_HEADER]: correlationId,
          [INTERNAL_IDENTITY_HEADER]: await signInternalIdentity(
            system.internalIdentitySecret,
            identity,
            correlationId,
          ),
        },
      });
    };
    for (const identity of [null, { role: 'ClinicAdmin', subject: 'staff-admin-1' } as const]) {
      const response = await signed(identity);
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('');
    }
    const response = await signed(admin);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Notifications (development sink)');
  });

  it('through the gateway: anonymous 401, a refused token 401, Patient and ClinicAdmin 403, SystemAdministrator the page', async () => {
    const get = async (authorization?: string) => {
      const response = await fetch(gatewayPage(), authorization ? { headers: { authorization } } : {});
      const text = await response.text();
      return { status: response.status, text };
    };
    const codeOf = (text: string) =>
      (JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code;

    const anonymous = await get();
    expect([anonymous.status, codeOf(anonymous.text)]).toEqual([401, 'UNAUTHENTICATED']);
    const refused = await get(`Bearer ${rs256Token()}`);
    expect([refused.status, codeOf(refused.text)]).toEqual([401, 'UNAUTHENTICATED']);
    const clinicId = '7e1f7c9a-3b2d-4c5e-8f90-1a2b3c4d5e6f';
    for (const identity of [
      { role: 'Patient', subject: '0b7f7d4e-5d1c-4a8e-9a55-0d9a3c1e2f10' },
      { role: 'ClinicAdmin', subject: 'staff-admin-1', clinicId },
    ] as const) {
      const forbidden = await get(`Bearer ${await system.token(identity)}`);
      expect([forbidden.status, codeOf(forbidden.text)]).toEqual([403, 'FORBIDDEN']);
      expect(forbidden.text).not.toContain('@');
    }
    const page = await get(`Bearer ${await system.token(admin)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Notifications (development sink)');
    expect(system.notificationsPage).toBe(gatewayPage());
  });

  it('a bearer token with an RS256 header is a 401 on /graphql, not a logged server error', async () => {
    const before = logLines.length;
    const response = await system.graphql('{ clinics { id } }', {
      headers: { authorization: `Bearer ${rs256Token()}` },
    });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(response.body)).not.toMatch(/RS256"|asymmetricKeyType|stack/);
    expect(logLines.slice(before).filter((line) => line.level >= 50)).toEqual([]);
  });
});
