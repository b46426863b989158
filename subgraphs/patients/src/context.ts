import type { RequestContext } from '@clinic/platform';
import type { PatientsDatabase, VaultDatabase } from './database';
import type { PatientLoaders } from './registry/loaders';

export interface PatientsContext extends RequestContext {
  db: PatientsDatabase;
  vault: VaultDatabase;
  loaders: PatientLoaders;
}
