import { execFileSync } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A signing identity like SNS's: an RSA key and its X.509 certificate, served at `certificateUrl`. */
export interface FakeSnsSigner {
  certificateUrl: string;
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * Makes a key and a self-signed certificate with openssl (part of every Debian install, through
 * ca-certificates), valid from now for two days.
 */
export function makeSnsSigner(region = 'ap-southeast-2', subject = '/CN=sns.amazonaws.com'): FakeSnsSigner {
  const dir = mkdtempSync(join(tmpdir(), 'fake-sns-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['genrsa', '-out', key, '2048'], { stdio: 'ignore' });
    execFileSync(
      'openssl',
      ['req', '-new', '-x509', '-key', key, '-out', cert, '-subj', subject, '-days', '2'],
      { stdio: 'ignore' },
    );
    return {
      certificateUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-${randomUUID()}.pem`,
      certificatePem: readFileSync(cert, 'utf8'),
      privateKeyPem: readFileSync(key, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface InboundSms {
  originationNumber: string;
  destinationNumber?: string;
  messageBody: string;
}

/**
 * What SNS posts to an HTTPS subscriber for a two-way SMS reply, signed as SNS signs it. Written from
 * AWS's description (the signed fields, `Name\nvalue\n` in byte order of the names, Subject only when
 * present), not from the verifier, so the two are checked against each other.
 */
export function signedNotification(
  signer: FakeSnsSigner,
  topicArn: string,
  sms: InboundSms,
  options: { version?: '1' | '2'; timestamp?: Date; subject?: string; messageId?: string } = {},
): Record<string, string> {
  const fields: Record<string, string> = {
    Type: 'Notification',
    MessageId: options.messageId ?? randomUUID(),
    TopicArn: topicArn,
    Message: JSON.stringify({
      originationNumber: sms.originationNumber,
      destinationNumber: sms.destinationNumber ?? '+61400000000',
      messageKeyword: 'KEYWORD_123456789012',
      messageBody: sms.messageBody,
      inboundMessageId: randomUUID(),
      previousPublishedMessageId: randomUUID(),
    }),
    Timestamp: (options.timestamp ?? new Date()).toISOString(),
    ...(options.subject !== undefined ? { Subject: options.subject } : {}),
  };
  return sign(signer, fields, options.version ?? '2');
}

/** A subscription confirmation as SNS sends it when the endpoint is subscribed to the topic. */
export function signedSubscriptionConfirmation(
  signer: FakeSnsSigner,
  topicArn: string,
  options: { timestamp?: Date; subscribeUrl?: string } = {},
): Record<string, string> {
  const token = randomUUID().replaceAll('-', '');
  return sign(
    signer,
    {
      Type: 'SubscriptionConfirmation',
      MessageId: randomUUID(),
      Token: token,
      TopicArn: topicArn,
      Message: `You have chosen to subscribe to the topic ${topicArn}. To confirm, visit the SubscribeURL.`,
      SubscribeURL:
        options.subscribeUrl ??
        `https://sns.ap-southeast-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`,
      Timestamp: (options.timestamp ?? new Date()).toISOString(),
    },
    '2',
  );
}

const SIGNED = ['Message', 'MessageId', 'Subject', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

function sign(
  signer: FakeSnsSigner,
  fields: Record<string, string>,
  version: '1' | '2',
): Record<string, string> {
  const canonical = SIGNED.filter((name) => fields[name] !== undefined)
    .map((name) => `${name}\n${fields[name]}\n`)
    .join('');
  const signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256')
    .update(canonical, 'utf8')
    .sign(signer.privateKeyPem, 'base64');
  return {
    ...fields,
    SignatureVersion: version,
    Signature: signature,
    SigningCertURL: signer.certificateUrl,
    UnsubscribeURL: `https://sns.ap-southeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${fields['TopicArn']}:${randomUUID()}`,
  };
}
