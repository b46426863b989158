import type { EventEnvelope } from '@clinic/contracts';
import type { EventBus, Logger } from '@clinic/platform';
import type { PatientsDatabase } from '../database';
import type { ClinicDirectory } from '../notifications/clinic-directory';
import { ReminderWorker, type ReminderWorkerOptions } from './reminder-worker';
import type { ReplyTokens } from './reply-tokens';
import { REMINDERS_CONSUMER, scheduleReminders, type ZoneLookup } from './schedule-reminders';

export interface RemindersOptions {
  db: PatientsDatabase;
  bus: EventBus;
  logger: Logger;
  directory?: ClinicDirectory;
  /** Pokes the notification dispatcher once reminders became notifications. */
  onQueued: () => void;
  /** Reply tokens for emailed reminders (answerReminder); none without. */
  replyTokens?: ReplyTokens;
  /** Tuning and a fake clock for tests and benchmarks. */
  worker?: Partial<Pick<ReminderWorkerOptions, 'clock' | 'batchSize' | 'idleMs'>>;
}

/** Clinic zones from the directory (cached there); an unknown clinic is left out. */
export function directoryZones(directory: ClinicDirectory | undefined): ZoneLookup {
  return async (clinicIds) => {
    if (!directory) return new Map();
    const found = await Promise.all(
      clinicIds.map(async (clinicId) => [clinicId, (await directory.clinic(clinicId))?.timeZone] as const),
    );
    return new Map(found.flatMap(([clinicId, zone]) => (zone ? [[clinicId, zone] as const] : [])));
  };
}

/**
 * Reminders: a consumer schedules them from appointment events (one inbox transaction per batch), a worker
 * turns due ones into notifications for the dispatcher.
 */
export async function startReminders(
  options: RemindersOptions,
): Promise<{ worker: ReminderWorker; stop(): Promise<void> }> {
  const worker = new ReminderWorker({
    db: options.db,
    logger: options.logger,
    onQueued: options.onQueued,
    ...(options.replyTokens ? { replyTokens: options.replyTokens } : {}),
    ...options.worker,
  });
  const zones = directoryZones(options.directory);
  const schedule = async (events: readonly EventEnvelope[]) => {
    // A reminder already due when its event is handled (a consumer catching up) goes out at once; any
    // other is claimed by a later poll, so the worker is not woken for nothing after every booking.
    const { firstDue } = await scheduleReminders(options.db, events, zones, options.logger);
    if (firstDue && firstDue.getTime() <= Date.now()) worker.poke();
  };
  await options.bus.subscribe({
    topic: 'appointments',
    group: REMINDERS_CONSUMER,
    background: true,
    handle: (event) => schedule([event]),
    handleBatch: schedule,
  });
  worker.start();
  return { worker, stop: () => worker.stop() };
}
