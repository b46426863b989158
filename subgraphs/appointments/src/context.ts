import type { EventBus, RequestContext } from '@clinic/platform';
import type { AppointmentsDatabase } from './database';
import type { ScheduleLoaders } from './schedule/loaders';

export interface AppointmentsContext extends RequestContext {
  db: AppointmentsDatabase;
  bus: EventBus;
  loaders: ScheduleLoaders;
}
