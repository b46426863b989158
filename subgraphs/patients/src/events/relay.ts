import { OutboxRelay, type EventBus, type Logger } from '@clinic/platform';
import type { PatientsDatabase, VaultDatabase } from '../database';

/** Advisory-lock key of the vault's outbox: only one relay publishes from it at a time. */
export const VAULT_OUTBOX_LOCK = 0x0a77_0003;

/** Advisory-lock key of the patients database's outbox (link events): one relay publishes at a time. */
export const PATIENTS_OUTBOX_LOCK = 0x0a77_0004;

/** Publishes the vault's outbox (patient.erased) to the `patients` topic. */
export function createVaultRelay(vault: VaultDatabase, bus: EventBus, logger: Logger): OutboxRelay {
  return new OutboxRelay({ db: vault, bus, logger, service: 'patients', lockKey: VAULT_OUTBOX_LOCK });
}

/** Publishes the patients database's outbox (patient.clinic-linked and -unlinked) to the `patients` topic. */
export function createLinksRelay(db: PatientsDatabase, bus: EventBus, logger: Logger): OutboxRelay {
  return new OutboxRelay({ db, bus, logger, service: 'patients', lockKey: PATIENTS_OUTBOX_LOCK });
}
