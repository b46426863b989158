import type { OutboxRelay, RequestContext } from '@clinic/platform';
import type { PatientsDatabase, VaultDatabase } from './database';
import type { PatientLoaders } from './registry/loaders';
import type { VaultKeys } from './vault/keys/vault-keys';

export interface PatientsContext extends RequestContext {
  db: PatientsDatabase;
  vault: VaultDatabase;
  loaders: PatientLoaders;
  /** The vault's master key (ring) and blind-index key. */
  vaultKeys: VaultKeys;
  /** Poked after an erasure commits, so its event goes out at once; null when no bus is wired. */
  vaultOutbox: Pick<OutboxRelay, 'poke'> | null;
  /** Poked after a link change commits, so its event goes out at once; absent or null without a bus. */
  linksOutbox?: Pick<OutboxRelay, 'poke'> | null;
}
