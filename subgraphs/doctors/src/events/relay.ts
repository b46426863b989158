import { OutboxRelay, type EventBus, type Logger } from '@clinic/platform';
import type { DoctorsDatabase } from '../database';

/** Advisory-lock key of this service's outbox: only one relay publishes from it at a time. */
export const DOCTORS_OUTBOX_LOCK = 0x0a77_0002;

export function createDoctorsRelay(db: DoctorsDatabase, bus: EventBus, logger: Logger): OutboxRelay {
  return new OutboxRelay({ db, bus, logger, service: 'doctors', lockKey: DOCTORS_OUTBOX_LOCK });
}
