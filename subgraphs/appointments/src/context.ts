import type { RequestContext } from '@clinic/platform';
import type { AppointmentsDatabase } from './database';
import type { ScheduleLoaders } from './schedule/loaders';

export interface AppointmentsContext extends RequestContext {
  db: AppointmentsDatabase;
  /** Wakes the outbox relay after a commit that wrote events, so they leave at once. */
  outbox: { poke(): void };
  loaders: ScheduleLoaders;
  /** How long a hold keeps a slot busy-tentative. */
  holdMinutes: number;
  /** How many slots one patient may hold at once. */
  holdsPerPatient: number;
}
