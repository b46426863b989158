import type { RequestContext } from '@clinic/platform';
import type { DoctorsDatabase } from './database';
import type { DirectoryLoaders } from './directory/loaders';

export interface DoctorsContext extends RequestContext {
  db: DoctorsDatabase;
  loaders: DirectoryLoaders;
}
