import type { AddressInfo } from 'node:net';
import { createLogger } from '@clinic/platform';
import { logCapture } from '@clinic/testing';
import express from 'express';
import { SMS_REPLIES_PATH, smsRepliesRoute, type SmsReply } from './sms-replies-route';
import { snsVerifier, type SnsRefusal } from './verify-sns-message';
import {
  makeSnsSigner,
  signedNotification,
  signedSubscriptionConfirmation,
  type FakeSnsSigner,
} from './testing/fake-sns';

const TOPIC = 'arn:aws:sns:ap-southeast-2:123456789012:clinic-sms-replies';
const CANARY = 'canary-7f3a9c';
const PHONE = '+61412345678';

let sns: FakeSnsSigner;
beforeAll(() => {
  sns = makeSnsSigner();
});

interface Endpoint {
  post: (body: unknown, contentType?: string) => Promise<number>;
  replies: SmsReply[];
  refusals: { reason: SnsRefusal; fingerprint: string }[];
  confirmed: string[];
  logs: string[];
  close: () => Promise<void>;
}

async function endpoint(onReply?: (reply: SmsReply) => Promise<void>): Promise<Endpoint> {
  const replies: SmsReply[] = [];
  const refusals: Endpoint['refusals'] = [];
  const confirmed: string[] = [];
  const logs: string[] = [];
  const app = express();
  // As the subgraph's app parses JSON bodies for every route before this one.
  app.use(express.json());
  app.post(
    SMS_REPLIES_PATH,
    ...smsRepliesRoute({
      verify: snsVerifier({ topicArn: TOPIC, fetchCertificate: () => Promise.resolve(sns.certificatePem) }),
      onReply: onReply ?? ((reply) => Promise.resolve(void replies.push(reply))),
      audit: (reason, fingerprint) => Promise.resolve(void refusals.push({ reason, fingerprint })),
      confirmSubscription: (url) => Promise.resolve(void confirmed.push(url)),
      logger: createLogger('patients', 'debug', logCapture(logs)()),
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SMS_REPLIES_PATH}`;
  return {
    post: async (body, contentType = 'text/plain; charset=UTF-8') =>
      (
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        })
      ).status,
    replies,
    refusals,
    confirmed,
    logs,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('POST /webhooks/sns: two-way SMS replies from Amazon SNS', () => {
  it('hands a signed reply on, once per delivery, as text/plain (as SNS sends) or JSON', async () => {
    const at = await endpoint();
    try {
      const message = signedNotification(sns, TOPIC, { originationNumber: PHONE, messageBody: 'C' });
      expect(await at.post(message)).toBe(200);
      expect(await at.post(message, 'application/json')).toBe(200);
      expect(at.replies).toEqual([
        { messageId: message['MessageId'], phone: PHONE, text: 'C' },
        { messageId: message['MessageId'], phone: PHONE, text: 'C' },
      ]);
    } finally {
      await at.close();
    }
  });

  it('refuses a forged or altered reply with 403, acts on nothing, audits a fingerprint and logs no caller text', async () => {
    const at = await endpoint();
    try {
      const attacker = makeSnsSigner();
      const forged = signedNotification(attacker, TOPIC, { originationNumber: PHONE, messageBody: CANARY });
      const altered = {
        ...signedNotification(sns, TOPIC, { originationNumber: PHONE, messageBody: 'C' }),
        Message: JSON.stringify({ originationNumber: PHONE, messageBody: CANARY }),
      };
      const replayed = signedNotification(
        sns,
        TOPIC,
        { originationNumber: PHONE, messageBody: CANARY },
        { timestamp: new Date(Date.now() - 2 * 60 * 60_000) },
      );
      expect(await at.post(forged)).toBe(403);
      expect(await at.post(altered)).toBe(403);
      expect(await at.post(replayed)).toBe(403);
      expect(await at.post(`{"Type":"${CANARY}"`)).toBe(403);
      expect(at.replies).toEqual([]);
      expect(at.refusals.map((refusal) => refusal.reason)).toEqual([
        'bad-signature',
        'bad-signature',
        'stale',
        'malformed',
      ]);
      expect(at.refusals.every((refusal) => /^[0-9a-f]{32}$/.test(refusal.fingerprint))).toBe(true);
      const logged = at.logs.join('\n');
      expect(logged).toContain('SNS message refused');
      expect(logged).not.toContain(CANARY);
      expect(logged).not.toContain(PHONE);
    } finally {
      await at.close();
    }
  });

  it('answers 503 when the reply cannot be acted on, so SNS delivers it again', async () => {
    const at = await endpoint(() => Promise.reject(new Error('database unavailable')));
    try {
      const message = signedNotification(sns, TOPIC, { originationNumber: PHONE, messageBody: 'X' });
      expect(await at.post(message)).toBe(503);
    } finally {
      await at.close();
    }
  });

  it('confirms its subscription only through an SNS link', async () => {
    const at = await endpoint();
    try {
      const confirmation = signedSubscriptionConfirmation(sns, TOPIC);
      expect(await at.post(confirmation)).toBe(200);
      expect(at.confirmed).toEqual([confirmation['SubscribeURL']]);
      const elsewhere = signedSubscriptionConfirmation(sns, TOPIC, {
        subscribeUrl: 'https://attacker.example/?Action=ConfirmSubscription',
      });
      expect(await at.post(elsewhere)).toBe(403);
      expect(at.confirmed).toHaveLength(1);
    } finally {
      await at.close();
    }
  });

  it('ignores a signed notification that is not an inbound SMS', async () => {
    const at = await endpoint();
    try {
      const other = signedNotification(sns, TOPIC, { originationNumber: 'not a number', messageBody: 'C' });
      expect(await at.post(other)).toBe(200);
      expect(at.replies).toEqual([]);
    } finally {
      await at.close();
    }
  });
});
