import { enqueueEvents, type Logger } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import { releaseExpiredHolds } from './claim-slot';
import { SYSTEM_ACTOR, slotChangedEvent } from './events';

/**
 * Releases lapsed holds every `intervalMs`, so their slots show as free again (and live subscribers
 * hear of it) even when nobody tries to claim them.
 */
export function startHoldSweeper(
  db: AppointmentsDatabase,
  outbox: { poke(): void },
  logger: Logger,
  intervalMs = 30_000,
): { stop(): void } {
  const sweep = async () => {
    try {
      const freed = await db.$transaction(async (tx) => {
        const slots = await releaseExpiredHolds(tx);
        await enqueueEvents(
          tx,
          'appointments',
          slots.map((slot) => slotChangedEvent(slot, SYSTEM_ACTOR)),
        );
        return slots.length;
      });
      if (freed > 0) {
        logger.info({ freed }, 'expired holds released');
        outbox.poke();
      }
    } catch (error) {
      logger.warn({ err: error }, 'hold sweep failed; retrying at the next interval');
    }
  };
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
