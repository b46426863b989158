import type { VaultDatabase } from '../database';
import type { DataKey, PatientPii } from '../generated/prisma-vault/client';
import { openField, sealField, type PiiField } from './crypto/field-cipher';
import type { VaultKeys } from './keys/vault-keys';
import type { MasterKey } from './keys/master-key';
import type { PatientDetails } from './validation';

type SealedColumns = Pick<
  PatientPii,
  'givenName' | 'familyName' | 'dateOfBirth' | 'email' | 'phone' | 'address' | 'ihi'
>;

/** The rows that store one patient: their wrapped data key and their sealed fields with blind indexes. */
export async function sealPatient(
  keys: VaultKeys,
  clientId: string,
  details: PatientDetails,
): Promise<{
  dataKey: Pick<DataKey, 'clientId' | 'wrappedKey' | 'masterKeyId'>;
  pii: Omit<PatientPii, 'createdAt'>;
}> {
  const { plaintext, wrapped } = await keys.masterKey.generateDataKey(clientId);
  try {
    const seal = (field: PiiField, value: string) =>
      new Uint8Array(sealField(plaintext, clientId, field, value));
    const sealed: SealedColumns = {
      givenName: seal('givenName', details.givenName),
      familyName: seal('familyName', details.familyName),
      dateOfBirth: seal('dateOfBirth', details.dateOfBirth),
      email: seal('email', details.email),
      phone: seal('phone', details.phone),
      address: seal('address', details.address),
      ihi: details.ihi === null ? null : seal('ihi', details.ihi),
    };
    return {
      dataKey: { clientId, wrappedKey: new Uint8Array(wrapped.wrapped), masterKeyId: wrapped.keyId },
      pii: {
        clientId,
        ...sealed,
        emailIndex: new Uint8Array(keys.blindIndex.email(details.email)),
        phoneIndex: new Uint8Array(keys.blindIndex.phone(details.phone)),
      },
    };
  } finally {
    plaintext.fill(0); // keep the plaintext key in memory no longer than needed
  }
}

/** Opens one patient's fields with their data key; null once the key has been destroyed. */
export async function openPatient(
  masterKey: MasterKey,
  dataKey: Pick<DataKey, 'clientId' | 'wrappedKey' | 'masterKeyId'> | null,
  pii: SealedColumns | null,
): Promise<PatientDetails | null> {
  if (!dataKey?.wrappedKey || !pii) return null;
  const { clientId } = dataKey;
  const key = await masterKey.unwrap(
    { keyId: dataKey.masterKeyId, wrapped: Buffer.from(dataKey.wrappedKey) },
    clientId,
  );
  try {
    const open = (field: PiiField, sealed: Uint8Array) => openField(key, clientId, field, sealed);
    return {
      givenName: open('givenName', pii.givenName),
      familyName: open('familyName', pii.familyName),
      dateOfBirth: open('dateOfBirth', pii.dateOfBirth),
      email: open('email', pii.email),
      phone: open('phone', pii.phone),
      address: open('address', pii.address),
      ihi: pii.ihi ? open('ihi', pii.ihi) : null,
    };
  } finally {
    key.fill(0);
  }
}

/** Reads and opens many patients in two queries (keys, fields); erased or unknown ones are absent. */
export async function readPatients(
  vault: VaultDatabase,
  masterKey: MasterKey,
  clientIds: readonly string[],
): Promise<Map<string, PatientDetails>> {
  const rows = await vault.dataKey.findMany({
    where: { clientId: { in: [...clientIds] }, wrappedKey: { not: null } },
    include: { pii: true },
  });
  const opened = await Promise.all(
    rows.map(async (row) => [row.clientId, await openPatient(masterKey, row, row.pii)] as const),
  );
  return new Map(opened.filter((entry): entry is [string, PatientDetails] => entry[1] !== null));
}
