import type { RequestContext } from '@clinic/platform';
import type { AuditDatabase } from './database';
import type { TrailLoaders } from './trail/loaders';

export interface AuditContext extends RequestContext {
  db: AuditDatabase;
  loaders: TrailLoaders;
}
