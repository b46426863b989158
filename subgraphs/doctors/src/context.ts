import type { OutboxRelay, RequestContext } from '@clinic/platform';
import type { DoctorsDatabase } from './database';
import type { DirectoryLoaders } from './directory/loaders';

export interface DoctorsContext extends RequestContext {
  db: DoctorsDatabase;
  loaders: DirectoryLoaders;
  /** Poked after a commit that wrote events, so they go out at once. */
  outbox: OutboxRelay;
  /** Days of slots published ahead of now. */
  horizonDays: number;
}
