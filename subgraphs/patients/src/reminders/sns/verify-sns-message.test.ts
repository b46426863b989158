import { cachedCertificateFetch, isTrustedSnsUrl, snsVerifier } from './verify-sns-message';
import {
  makeSnsSigner,
  signedNotification,
  signedSubscriptionConfirmation,
  type FakeSnsSigner,
} from './testing/fake-sns';

const TOPIC = 'arn:aws:sns:ap-southeast-2:123456789012:clinic-sms-replies';
const REPLY = { originationNumber: '+61412345678', messageBody: 'C' };

let sns: FakeSnsSigner;
let attacker: FakeSnsSigner;
beforeAll(() => {
  sns = makeSnsSigner();
  attacker = makeSnsSigner();
});

function verifier(overrides: Partial<Parameters<typeof snsVerifier>[0]> = {}) {
  const fetched: string[] = [];
  const certificates = new Map([
    [sns.certificateUrl, sns.certificatePem],
    [attacker.certificateUrl, attacker.certificatePem],
  ]);
  const verify = snsVerifier({
    topicArn: TOPIC,
    fetchCertificate: (url) => {
      fetched.push(url);
      const pem = certificates.get(url);
      return pem ? Promise.resolve(pem) : Promise.reject(new Error('404'));
    },
    ...overrides,
  });
  return { verify, fetched };
}

describe('an SNS message is accepted only when SNS signed it for our topic', () => {
  it.each(['1', '2'] as const)('accepts a reply signed with signature version %s', async (version) => {
    const { verify } = verifier();
    const verdict = await verify(signedNotification(sns, TOPIC, REPLY, { version }));
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(JSON.parse(verdict.message.Message).messageBody).toBe('C');
  });

  it('accepts a subject, which the signature covers', async () => {
    const { verify } = verifier();
    const message = signedNotification(sns, TOPIC, REPLY, { subject: 'reply' });
    expect((await verify(message)).ok).toBe(true);
    expect(await verify({ ...message, Subject: 'another' })).toEqual({ ok: false, reason: 'bad-signature' });
    const { Subject: _dropped, ...withoutSubject } = message;
    expect(await verify(withoutSubject)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a reply whose text or sender was changed after signing', async () => {
    const { verify } = verifier();
    const message = signedNotification(sns, TOPIC, REPLY);
    const changed = JSON.parse(message['Message']!) as Record<string, string>;
    for (const edit of [
      { ...changed, messageBody: 'X' },
      { ...changed, originationNumber: '+61498765432' },
    ])
      expect(await verify({ ...message, Message: JSON.stringify(edit) })).toEqual({
        ok: false,
        reason: 'bad-signature',
      });
    expect(await verify({ ...message, MessageId: 'another-id' })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a message signed by another key behind SNS certificate URL', async () => {
    const { verify } = verifier();
    const forged = signedNotification(attacker, TOPIC, REPLY);
    expect(await verify({ ...forged, SigningCertURL: sns.certificateUrl })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a signature made with version 1 presented as version 2', async () => {
    const { verify } = verifier();
    const message = signedNotification(sns, TOPIC, REPLY, { version: '1' });
    expect(await verify({ ...message, SignatureVersion: '2' })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(await verify({ ...message, SignatureVersion: '3' })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses another topic before fetching anything', async () => {
    const { verify, fetched } = verifier();
    const other = signedNotification(sns, `${TOPIC}-other`, REPLY);
    expect(await verify(other)).toEqual({ ok: false, reason: 'unexpected-topic' });
    expect(fetched).toEqual([]);
  });

  it.each([
    'http://sns.ap-southeast-2.amazonaws.com/cert.pem',
    'https://sns.ap-southeast-2.amazonaws.com.attacker.example/cert.pem',
    'https://sns.ap-southeast-2.amazonaws.com@attacker.example/cert.pem',
    'https://user:pw@sns.ap-southeast-2.amazonaws.com/cert.pem',
    'https://sns.ap-southeast-2.amazonaws.com:8443/cert.pem',
    'https://attacker.example/sns.ap-southeast-2.amazonaws.com/cert.pem',
    'https://s3.amazonaws.com/attacker/cert.pem',
    'https://sns.s3-us-west-2.amazonaws.com/cert.pem',
    'https://sns.s3.amazonaws.com/cert.pem',
    'https://sns.attacker.amazonaws.com/cert.pem',
    'https://sns.ap-southeast-2.amazonaws.com/cert.txt',
    'file:///etc/ssl/cert.pem',
    'not a url',
  ])('refuses a certificate at %s without fetching it', async (url) => {
    const { verify, fetched } = verifier();
    const message = { ...signedNotification(sns, TOPIC, REPLY), SigningCertURL: url };
    expect(await verify(message)).toEqual({ ok: false, reason: 'untrusted-certificate-url' });
    expect(fetched).toEqual([]);
  });

  it('refuses a replay older than an hour, and a message from the future', async () => {
    const now = Date.now();
    const { verify } = verifier({ now: () => now });
    const hour = 60 * 60_000;
    expect(
      (await verify(signedNotification(sns, TOPIC, REPLY, { timestamp: new Date(now - hour + 1000) }))).ok,
    ).toBe(true);
    expect(
      await verify(signedNotification(sns, TOPIC, REPLY, { timestamp: new Date(now - hour - 1000) })),
    ).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(await verify(signedNotification(sns, TOPIC, REPLY, { timestamp: new Date(now + hour) }))).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('refuses a certificate outside its validity', async () => {
    const inThreeDays = Date.now() + 3 * 24 * 60 * 60_000;
    const { verify } = verifier({ now: () => inThreeDays, maxAgeMs: 4 * 24 * 60 * 60_000 });
    expect(await verify(signedNotification(sns, TOPIC, REPLY))).toEqual({
      ok: false,
      reason: 'certificate-unavailable',
    });
  });

  it('refuses a certificate that is not issued to SNS, even at an SNS URL', async () => {
    const other = makeSnsSigner('ap-southeast-2', '/CN=attacker.example');
    const { verify } = verifier({ fetchCertificate: () => Promise.resolve(other.certificatePem) });
    expect(await verify(signedNotification(other, TOPIC, REPLY))).toEqual({
      ok: false,
      reason: 'certificate-unavailable',
    });
  });

  it('refuses when the certificate cannot be fetched or is not a certificate', async () => {
    const { verify } = verifier({
      fetchCertificate: () =>
        Promise.resolve('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----'),
    });
    expect(await verify(signedNotification(sns, TOPIC, REPLY))).toEqual({
      ok: false,
      reason: 'certificate-unavailable',
    });
    const missing = {
      ...signedNotification(sns, TOPIC, REPLY),
      SigningCertURL: 'https://sns.ap-southeast-2.amazonaws.com/gone.pem',
    };
    expect(await verifier().verify(missing)).toEqual({ ok: false, reason: 'certificate-unavailable' });
  });

  it.each<[string, (valid: Record<string, string>) => unknown]>([
    ['no body', () => undefined],
    ['an array', () => []],
    ['a string', () => 'Type=Notification'],
    ['an unknown type', (valid) => ({ ...valid, Type: 'Other' })],
    ['a number for a field', (valid) => ({ ...valid, MessageId: 7 })],
    ['a missing signature', (valid) => ({ ...valid, Signature: '' })],
    ['a huge field', (valid) => ({ ...valid, Message: 'x'.repeat(20_000) })],
  ])('refuses %s as malformed', async (_name, spoil) => {
    const body = spoil(signedNotification(sns, TOPIC, REPLY));
    expect(await verifier().verify(body)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('checks a subscription confirmation over its token and link', async () => {
    const { verify } = verifier();
    const confirmation = signedSubscriptionConfirmation(sns, TOPIC);
    expect((await verify(confirmation)).ok).toBe(true);
    expect(
      await verify({
        ...confirmation,
        SubscribeURL: 'https://sns.ap-southeast-2.amazonaws.com/?Action=Other',
      }),
    ).toEqual({ ok: false, reason: 'bad-signature' });
    const { Token: _dropped, ...withoutToken } = confirmation;
    expect(await verify(withoutToken)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('isTrustedSnsUrl', () => {
  it('accepts SNS hosts of every region, including China', () => {
    expect(
      isTrustedSnsUrl(
        'https://sns.ap-southeast-2.amazonaws.com/SimpleNotificationService-1.pem',
        'certificate',
      ),
    ).toBe(true);
    expect(
      isTrustedSnsUrl(
        'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-1.pem',
        'certificate',
      ),
    ).toBe(true);
    expect(
      isTrustedSnsUrl('https://sns.ap-southeast-2.amazonaws.com/?Action=ConfirmSubscription', 'subscribe'),
    ).toBe(true);
    expect(
      isTrustedSnsUrl('https://sns.ap-southeast-2.amazonaws.com/?Action=ConfirmSubscription', 'certificate'),
    ).toBe(false);
  });
});

describe('cachedCertificateFetch', () => {
  it('fetches a certificate once, forgets a failure, and follows no redirect', async () => {
    const calls: { url: string; redirect: RequestRedirect | undefined }[] = [];
    let fail = true;
    const fetcher = ((url: string, init?: RequestInit) => {
      calls.push({ url, redirect: init?.redirect });
      if (fail) return Promise.resolve(new Response('no', { status: 503 }));
      return Promise.resolve(new Response('PEM'));
    }) as typeof fetch;
    const get = cachedCertificateFetch(fetcher, { retryAfterMs: 0 });
    await expect(get('https://sns.ap-southeast-2.amazonaws.com/a.pem')).rejects.toThrow('503');
    fail = false;
    expect(await get('https://sns.ap-southeast-2.amazonaws.com/a.pem')).toBe('PEM');
    expect(await get('https://sns.ap-southeast-2.amazonaws.com/a.pem')).toBe('PEM');
    expect(calls).toHaveLength(2);
    expect(calls.every((call) => call.redirect === 'error')).toBe(true);
  });

  it('does not fetch a URL again soon after it failed', async () => {
    let calls = 0;
    const fetcher = (() => {
      calls++;
      return Promise.resolve(new Response('gone', { status: 404 }));
    }) as unknown as typeof fetch;
    const get = cachedCertificateFetch(fetcher);
    const url = 'https://sns.ap-southeast-2.amazonaws.com/forged-path.pem';
    await expect(get(url)).rejects.toThrow('404');
    await expect(get(url)).rejects.toThrow('recently');
    expect(calls).toBe(1);
  });

  it('refuses an oversized answer', async () => {
    const fetcher = (() => Promise.resolve(new Response('x'.repeat(20_000)))) as unknown as typeof fetch;
    await expect(
      cachedCertificateFetch(fetcher)('https://sns.ap-southeast-2.amazonaws.com/b.pem'),
    ).rejects.toThrow('too large');
  });
});
