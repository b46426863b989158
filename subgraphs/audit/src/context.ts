import type { EventBus, RequestContext } from '@clinic/platform';
import type { AuditDatabase } from './database';
import type { TrailLoaders } from './trail/loaders';

export interface AuditContext extends RequestContext {
  db: AuditDatabase;
  bus: EventBus;
  loaders: TrailLoaders;
}
