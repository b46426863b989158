import type { EventActor } from '@clinic/contracts';
import type { IdField } from '@clinic/platform';
import type { DoctorsContext } from '../context';
import { horizonEnd, publishAvailability, type DoctorsTransaction } from './publish-availability';

/**
 * How every change to one doctor's availability starts, for the platform's `mutation`: the caller signed
 * in and the doctor's id checked. Each change adds its permission (doctorTheCallerMayChange).
 */
export function changeToDoctor(
  context: DoctorsContext,
  doctorId: string,
  signIn = 'Sign in to change availability.',
): { db: DoctorsContext['db']; identity: DoctorsContext['identity']; signIn: string; ids: IdField[] } {
  return {
    db: context.db,
    identity: context.identity,
    signIn,
    ids: [['doctorId', doctorId, 'This is not a doctor id.']],
  };
}

/**
 * How every change to a doctor's availability ends: their slots from now over the horizon, published by
 * the change's actor in the change's transaction.
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
