import type { RequestHandler } from 'express';
import type { Identity } from '@clinic/contracts';
import type { EventBus, Logger } from '@clinic/platform';
import type { PatientsDatabase } from '../database';
import { renderSinkPage, type DevSinkSender } from './dev-sink';
import { NotificationDispatcher, type ContactLookup, type DispatcherOptions } from './dispatcher';
import type { NotificationSettings } from './notification-settings';
import type { ReplyTokens } from '../reminders/reply-tokens';

export interface NotificationsOptions extends NotificationSettings {
  db: PatientsDatabase;
  bus: EventBus;
  contacts: ContactLookup;
  logger: Logger;
  /** Reply tokens of reminder emails, for their answer links (with `reminderPageUrl`). */
  replyTokens?: ReplyTokens;
  /** SMS replies reach this service (SNS two-way), so SMS reminders ask for C or X. */
  smsReplies?: boolean;
  /** Tuning for tests and benchmarks (batch size, backoff, attempts). */
  dispatcher?: Partial<
    Pick<DispatcherOptions, 'batchSize' | 'concurrency' | 'maxAttempts' | 'backoffMs' | 'leaseMs' | 'idleMs'>
  >;
}

export interface RunningNotifications {
  dispatcher: NotificationDispatcher;
  stop(): Promise<void>;
}

/**
 * The dispatcher that sends what the notifications consumer (events/consumers.ts) queues: messages to
 * patients (and clinic admins) of re-assigned appointments and of ones needing attention.
 */
export function notificationDispatcher(options: NotificationsOptions): NotificationDispatcher {
  return new NotificationDispatcher({
    db: options.db,
    sender: options.sender,
    contacts: options.contacts,
    clinicAlertEmail: options.clinicAlertEmail,
    ...(options.directory ? { directory: options.directory } : {}),
    ...(options.replyTokens && options.reminderPageUrl
      ? { replyLinks: { tokens: options.replyTokens, pageUrl: options.reminderPageUrl } }
      : {}),
    ...(options.smsReplies ? { smsReplies: true } : {}),
    logger: options.logger,
    ...options.dispatcher,
  });
}

/**
 * GET /dev/notifications: what the development sink holds, newest first. Development only. It lists every
 * recipient's email address and phone number, so only a system administrator may read it, through the
 * gateway: the subgraph server has already refused any request without the gateway's signed identity.
 */
export function devSinkPage(sink: DevSinkSender, tokens?: ReplyTokens): RequestHandler {
  return (_request, response, next) => {
    const { identity } = response.locals as { identity?: Identity | null };
    if (identity?.role !== 'SystemAdministrator') {
      response.status(403).end();
      return;
    }
    sink.entries().then(
      (entries) =>
        response
          .type('html')
          .send(renderSinkPage(entries, undefined, tokens && ((id) => tokens.tokenFor(id)))),
      (error: unknown) => next(error),
    );
  };
}

export const DEV_NOTIFICATIONS_PATH = '/dev/notifications';
