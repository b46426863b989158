import { createHash } from 'node:crypto';
import type { Logger } from '@clinic/platform';
import express, { type RequestHandler } from 'express';
import { isTrustedSnsUrl, type SnsRefusal, type SnsVerdict } from './verify-sns-message';

/** Where the gateway forwards what Amazon SNS posts for two-way SMS (see gateway/src/webhooks/). */
export const SMS_REPLIES_PATH = '/webhooks/sns';

/** A patient's SMS reply, as SNS two-way messaging reports it. */
export interface SmsReply {
  /** SNS's message id: the same reply delivered twice has the same id, and must act once. */
  messageId: string;
  /** The number it came from (E.164), to be matched through the vault's blind index. */
  phone: string;
  text: string;
}

export interface SmsRepliesOptions {
  verify: (body: unknown) => Promise<SnsVerdict>;
  /** Acts on a reply; idempotent per `messageId`. Throwing answers 503, so SNS delivers it again. */
  onReply: (reply: SmsReply) => Promise<unknown>;
  /** Records a refused message by a fingerprint of its body (never its text) in the audit trail. */
  audit: (reason: SnsRefusal, fingerprint: string) => Promise<void>;
  /** Visits SNS's confirmation link when the endpoint is subscribed (default: a GET with a timeout). */
  confirmSubscription?: (url: string) => Promise<void>;
  logger: Logger;
}

const MAX_BODY = '64kb';

/**
 * POST /webhooks/sns: a message from SNS, checked before anything is done with it. Answers 200 to what it
 * handled (SNS stops delivering), 403 to what it refused, 503 when it could not act (SNS retries).
 * Neither the body nor the phone number is ever logged: only SNS's outcome and our reason.
 */
export function smsRepliesRoute(options: SmsRepliesOptions): RequestHandler[] {
  const { logger } = options;
  const confirm = options.confirmSubscription ?? visit;
  return [
    // SNS posts JSON as text/plain; the app's JSON parser has taken it already when sent as JSON.
    express.text({ type: () => true, limit: MAX_BODY }),
    async (request, response) => {
      const raw: unknown = request.body;
      const text = typeof raw === 'string' ? raw : JSON.stringify(raw ?? null);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const verdict = await options.verify(body);
      if (!verdict.ok) {
        const fingerprint = createHash('sha256').update(text).digest('hex').slice(0, 32);
        logger.warn({ reason: verdict.reason, fingerprint }, 'SNS message refused');
        try {
          await options.audit(verdict.reason, fingerprint);
        } catch (error) {
          logger.error({ err: error, fingerprint }, 'could not audit a refused SNS message');
        }
        return response.status(403).json({ error: { code: 'FORBIDDEN' } });
      }
      const message = verdict.message;
      try {
        if (message.Type === 'SubscriptionConfirmation') {
          if (!message.SubscribeURL || !isTrustedSnsUrl(message.SubscribeURL, 'subscribe'))
            return response.status(403).json({ error: { code: 'FORBIDDEN' } });
          await confirm(message.SubscribeURL);
          logger.info('SNS subscription confirmed');
        } else if (message.Type === 'Notification') {
          const reply = inboundSms(message.MessageId, message.Message);
          if (reply) await options.onReply(reply);
          else logger.warn('an SNS notification that is not an inbound SMS was ignored');
        }
        return response.status(200).json({ status: 'ok' });
      } catch (error) {
        logger.error({ err: error }, 'an SNS message could not be handled; SNS will deliver it again');
        return response.status(503).json({ error: { code: 'SERVICE_UNAVAILABLE' } });
      }
    },
  ];
}

/** The inbound SMS in a notification's Message, as AWS End User Messaging / SNS two-way SMS sends it. */
function inboundSms(messageId: string, message: string): SmsReply | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { originationNumber, messageBody } = parsed as Record<string, unknown>;
  if (typeof originationNumber !== 'string' || typeof messageBody !== 'string') return null;
  if (!/^\+[0-9]{6,15}$/.test(originationNumber) || messageBody.length > 1600) return null;
  return { messageId, phone: originationNumber, text: messageBody };
}

async function visit(url: string): Promise<void> {
  const answer = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5_000) });
  if (!answer.ok) throw new Error(`SNS confirmation answered ${answer.status}`);
}
