import type { EventBus, RequestContext } from '@clinic/platform';
import type { AuditDatabase } from './database';
import type { CheckpointSink } from './trail/checkpoints';
import type { TrailLoaders } from './trail/loaders';

export interface AuditContext extends RequestContext {
  db: AuditDatabase;
  bus: EventBus;
  loaders: TrailLoaders;
  /** Where chain checkpoints are exported, if anywhere; verifyAuditChain checks against them. */
  checkpoints: CheckpointSink | null;
}
