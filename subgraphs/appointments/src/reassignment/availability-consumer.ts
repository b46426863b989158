import type { EventEnvelope } from '@clinic/contracts';
import type { EventBus, Logger } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import { applyAvailability } from './apply-availability';
import type { PracticeGroups } from './practice-groups';

/**
 * Keeps this service's slots in step with the doctors service: each doctor's availability events arrive
 * in order (keyed by doctor id) and are applied exactly once.
 */
export async function subscribeToAvailability(
  db: AppointmentsDatabase,
  bus: EventBus,
  logger: Logger,
  groups: PracticeGroups,
  /** Called when events were written after the handler's own transaction (the relay's poke). */
  onSettled: () => void,
  group = 'appointments-availability',
): Promise<void> {
  await bus.subscribe({
    topic: 'doctors',
    group,
    handle: async (event: EventEnvelope) => {
      if (event.type !== 'doctor.availability-changed') return;
      await applyAvailability(
        db,
        event as EventEnvelope<'doctor.availability-changed'>,
        logger,
        groups,
        onSettled,
      );
    },
  });
}
