import type { VaultDatabase } from '../database';
import { isUuid } from '@clinic/platform';
import type { MasterKey } from './keys/master-key';
import { readPatients } from './patient-record';

/** How to reach a patient: decrypted from the vault, never stored or logged anywhere else. */
export interface ContactDetails {
  /** Lower case. */
  email: string;
  /** E.164 (+61…). */
  phone: string;
}

/**
 * The patient's email and phone for a notification, or null when they were never registered or have
 * been erased (their data key is gone, so nothing can be read). A stable entry point for senders.
 */
export async function readContactDetails(
  vault: VaultDatabase,
  masterKey: MasterKey,
  clientId: string,
): Promise<ContactDetails | null> {
  if (!isUuid(clientId)) return null;
  const details = (await readPatients(vault, masterKey, [clientId])).get(clientId);
  return details ? { email: details.email, phone: details.phone } : null;
}
