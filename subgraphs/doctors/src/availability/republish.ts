import type { EventActor } from '@clinic/contracts';
import { horizonEnd, publishAvailability, type DoctorsTransaction } from './publish-availability';

/**
 * What every change to a doctor's availability ends with: their slots from now over the horizon,
 * published by the change's actor in the change's transaction.
 */
export function republishHorizon(
  tx: DoctorsTransaction,
  doctorId: string,
  horizonDays: number,
  actor: EventActor,
): Promise<unknown> {
  const now = new Date();
  return publishAvailability(tx, doctorId, { start: now, end: horizonEnd(now, horizonDays) }, actor);
}
