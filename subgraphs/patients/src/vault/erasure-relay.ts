import { OutboxRelay, type EventBus, type Logger } from '@clinic/platform';
import type { VaultDatabase } from '../database';

/** Advisory-lock key of the vault's outbox: only one relay publishes from it at a time. */
export const VAULT_OUTBOX_LOCK = 0x0a77_0003;

/** Publishes the vault's outbox (patient.erased) to the `patients` topic. */
export function createVaultRelay(vault: VaultDatabase, bus: EventBus, logger: Logger): OutboxRelay {
  return new OutboxRelay({ db: vault, bus, logger, lockKey: VAULT_OUTBOX_LOCK });
}
