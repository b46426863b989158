import type { EventEnvelope } from '@clinic/contracts';
import type { EventBus, Logger, OutboxRelay } from '@clinic/platform';
import { CLINIC_LINKS_CONSUMER, linkPatientsToClinics } from '../access/clinic-links';
import type { PatientsDatabase } from '../database';
import { NOTIFICATIONS_CONSUMER, queueNotifications } from '../notifications/queue-notifications';
import {
  notificationDispatcher,
  type NotificationsOptions,
  type RunningNotifications,
} from '../notifications/start-notifications';
import { startReminders, type RemindersOptions } from '../reminders/start-reminders';

export interface PatientsConsumersOptions {
  db: PatientsDatabase;
  bus: EventBus;
  logger: Logger;
  /** The patients database's outbox relay, poked when a booking made new links. */
  linksRelay: Pick<OutboxRelay, 'poke'>;
  /** How notifications are sent; null sends none (and subscribes no notifications or reminders consumer). */
  notifications: Omit<NotificationsOptions, 'db' | 'bus' | 'logger'> | null;
  /** Tuning and a fake clock for the reminder worker (tests and benchmarks). */
  reminders?: RemindersOptions['worker'];
  /** Reply tokens for emailed reminders (answerReminder). */
  replyTokens?: RemindersOptions['replyTokens'];
}

/**
 * Every event this service consumes, subscribed here and nowhere else; the handlers stay with their
 * domain. The bus has no unsubscribe (its subscriptions end when its owner closes it): `stop` ends what
 * the consumers started besides, the notification dispatcher.
 */
export async function startPatientsConsumers(
  options: PatientsConsumersOptions,
): Promise<{ stop(): Promise<void>; pokeDispatcher(): void }> {
  const { db, bus, logger, linksRelay } = options;
  // Which clinics reach which patients: the first way is the patient's own booking (appointment events);
  // each new link is published from this database's outbox.
  const link = async (events: readonly EventEnvelope[]) => {
    if ((await linkPatientsToClinics(db, events)) > 0) linksRelay.poke();
  };
  await bus.subscribe({
    topic: 'appointments',
    group: CLINIC_LINKS_CONSUMER,
    handle: (event) => link([event]),
    handleBatch: link,
  });
  const notifications =
    options.notifications && (await startNotifications({ ...options.notifications, db, bus, logger }));
  // Reminders go out as notifications, so they run only where notifications are sent.
  const reminders =
    notifications &&
    (await startReminders({
      db,
      bus,
      logger,
      ...(options.notifications?.directory ? { directory: options.notifications.directory } : {}),
      onQueued: () => notifications.dispatcher.poke(),
      ...(options.reminders ? { worker: options.reminders } : {}),
      ...(options.replyTokens ? { replyTokens: options.replyTokens } : {}),
    }));
  return {
    stop: async () => {
      await reminders?.stop();
      await notifications?.stop();
    },
    pokeDispatcher: () => notifications && notifications.dispatcher.poke(),
  };
}

/**
 * Notifies patients (and clinic admins) of re-assigned appointments and of ones needing attention: a
 * consumer queues messages exactly once per event, a dispatcher sends them.
 */
export async function startNotifications(options: NotificationsOptions): Promise<RunningNotifications> {
  const dispatcher = notificationDispatcher(options);
  const queue = async (events: readonly EventEnvelope[]) => {
    if ((await queueNotifications(options.db, events)) > 0) dispatcher.poke();
  };
  await options.bus.subscribe({
    topic: 'appointments',
    group: NOTIFICATIONS_CONSUMER,
    background: true,
    handle: (event) => queue([event]),
    handleBatch: queue,
  });
  dispatcher.start();
  return { dispatcher, stop: () => dispatcher.stop() };
}
