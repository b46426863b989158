import { createVerify, X509Certificate } from 'node:crypto';

/**
 * An Amazon SNS message as SNS posts it to an HTTPS subscription (the JSON body). Only the fields the
 * signature covers and the ones we act on.
 */
export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1' | '2';
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

/** Why a message was refused. Never the message's own text: it is the caller's. */
export type SnsRefusal =
  | 'malformed'
  | 'unexpected-topic'
  | 'untrusted-certificate-url'
  | 'certificate-unavailable'
  | 'bad-signature'
  | 'stale';

export type SnsVerdict = { ok: true; message: SnsMessage } | { ok: false; reason: SnsRefusal };

export interface SnsVerifierOptions {
  /** The only topic whose messages are accepted (the two-way SMS topic). */
  topicArn: string;
  /** Fetches a signing certificate (PEM) from a URL already checked by `isTrustedSnsUrl`. */
  fetchCertificate?: (url: string) => Promise<string>;
  now?: () => number;
  /** Older messages are refused: SNS retries for at most an hour, so a later copy is a replay. */
  maxAgeMs?: number;
}

/**
 * SNS's own hosts: `sns.<region>.amazonaws.com`, with a region's shape (`ap-southeast-2`, `us-gov-west-1`,
 * `cn-north-1` under `.com.cn`). A looser pattern would take `sns.s3-us-west-2.amazonaws.com`, which is an
 * S3 bucket anyone could name `sns`.
 */
const SNS_HOST =
  /^sns\.(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]\.amazonaws\.com|cn-[a-z]+-[0-9]\.amazonaws\.com\.cn)$/;
/** The subject SNS's signing certificates carry. */
const SNS_SUBJECT = /(?:^|\n)CN=sns\.amazonaws\.com(?:\n|$)/;
const MAX_FIELD_LENGTH = 16 * 1024;
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Where SNS keeps its certificates and confirmation links: https on `sns.<region>.amazonaws.com`, no
 * port, no credentials. Anything else named in a message is an attacker's certificate or a request to
 * make us fetch their URL.
 */
export function isTrustedSnsUrl(value: string, kind: 'certificate' | 'subscribe'): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '')
    return false;
  if (!SNS_HOST.test(url.hostname)) return false;
  return kind === 'subscribe' || url.pathname.endsWith('.pem');
}

/**
 * Verifies SNS's signature on a message posted to our endpoint, as AWS documents it: the signing
 * certificate comes only from an SNS host over https, the string to sign is rebuilt from the named
 * fields in their fixed order, the topic must be ours, and an old message is a replay. The caller still
 * records `MessageId` so a copy inside the age window is handled once.
 */
export function snsVerifier(options: SnsVerifierOptions): (body: unknown) => Promise<SnsVerdict> {
  const fetchCertificate = options.fetchCertificate ?? cachedCertificateFetch();
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 60 * 60_000;
  return async (body) => {
    const message = parseSnsMessage(body);
    if (!message) return { ok: false, reason: 'malformed' };
    if (message.TopicArn !== options.topicArn) return { ok: false, reason: 'unexpected-topic' };
    if (!isTrustedSnsUrl(message.SigningCertURL, 'certificate'))
      return { ok: false, reason: 'untrusted-certificate-url' };
    const sentAt = Date.parse(message.Timestamp);
    const age = now() - sentAt;
    if (!Number.isFinite(sentAt) || age > maxAgeMs || age < -CLOCK_SKEW_MS)
      return { ok: false, reason: 'stale' };
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(await fetchCertificate(message.SigningCertURL));
    } catch {
      return { ok: false, reason: 'certificate-unavailable' };
    }
    const at = new Date(now());
    if (new Date(certificate.validFrom) > at || new Date(certificate.validTo) < at)
      return { ok: false, reason: 'certificate-unavailable' };
    if (!SNS_SUBJECT.test(certificate.subject)) return { ok: false, reason: 'certificate-unavailable' };
    const verify = createVerify(message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    verify.update(stringToSign(message), 'utf8');
    let valid = false;
    try {
      valid = verify.verify(certificate.publicKey, message.Signature, 'base64');
    } catch {
      valid = false;
    }
    return valid ? { ok: true, message } : { ok: false, reason: 'bad-signature' };
  };
}

/** The canonical string SNS signs: `Name\nvalue\n` for each signed field present, in this order. */
export function stringToSign(message: SnsMessage): string {
  const fields =
    message.Type === 'Notification'
      ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
      : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
  let text = '';
  for (const field of fields) {
    const value = message[field];
    if (value !== undefined) text += `${field}\n${value}\n`;
  }
  return text;
}

const REQUIRED = ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'Signature', 'SigningCertURL'] as const;
const OPTIONAL = ['Subject', 'SubscribeURL', 'Token'] as const;

function parseSnsMessage(body: unknown): SnsMessage | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const type = record['Type'];
  if (type !== 'Notification' && type !== 'SubscriptionConfirmation' && type !== 'UnsubscribeConfirmation')
    return null;
  const version = record['SignatureVersion'];
  if (version !== '1' && version !== '2') return null;
  const message: Record<string, string> = { Type: type, SignatureVersion: version };
  for (const field of REQUIRED) {
    const value = record[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_FIELD_LENGTH) return null;
    message[field] = value;
  }
  for (const field of OPTIONAL) {
    const value = record[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length > MAX_FIELD_LENGTH) return null;
    message[field] = value;
  }
  if (type !== 'Notification' && (message['SubscribeURL'] === undefined || message['Token'] === undefined))
    return null;
  return message as unknown as SnsMessage;
}

/**
 * Fetches certificates over https with a timeout and a size cap, and keeps the last few: SNS signs
 * with one certificate per region for months, so the fetch is rare, and a failed one is not kept.
 */
export function cachedCertificateFetch(
  fetcher: typeof fetch = fetch,
  { timeoutMs = 5_000, maxBytes = 16 * 1024, keep = 8, retryAfterMs = 60_000 } = {},
): (url: string) => Promise<string> {
  const certificates = new Map<string, Promise<string>>();
  const failures = new Map<string, number>();
  return (url) => {
    const known = certificates.get(url);
    if (known) return known;
    // A URL that just failed is not asked again for a while: a forged message may name any SNS path.
    const failedAt = failures.get(url);
    if (failedAt !== undefined && Date.now() - failedAt < retryAfterMs)
      return Promise.reject(new Error('certificate fetch failed recently'));
    const pending = (async () => {
      const answer = await fetcher(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
      if (!answer.ok) throw new Error(`certificate fetch answered ${answer.status}`);
      const text = await answer.text();
      if (text.length > maxBytes) throw new Error('certificate too large');
      return text;
    })();
    certificates.set(url, pending);
    if (certificates.size > keep) certificates.delete(certificates.keys().next().value as string);
    pending.catch(() => {
      certificates.delete(url);
      failures.set(url, Date.now());
      if (failures.size > 256) failures.delete(failures.keys().next().value as string);
    });
    return pending;
  };
}
