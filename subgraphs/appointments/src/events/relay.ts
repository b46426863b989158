import { OutboxRelay, type EventBus, type Logger } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';

/** Advisory-lock key of this service's outbox: only one relay publishes from it at a time. */
export const APPOINTMENTS_OUTBOX_LOCK = 0x0a77_0001;

export function createAppointmentsRelay(
  db: AppointmentsDatabase,
  bus: EventBus,
  logger: Logger,
): OutboxRelay {
  return new OutboxRelay({ db, bus, logger, service: 'appointments', lockKey: APPOINTMENTS_OUTBOX_LOCK });
}
