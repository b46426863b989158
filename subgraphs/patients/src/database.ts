import { connectPrisma } from '@clinic/platform';
import { PrismaClient as PatientsClient } from './generated/prisma-patients/client';
import { PrismaClient as VaultClient } from './generated/prisma-vault/client';

export type PatientsDatabase = PatientsClient<'query'>;
/** The PII vault: only this service holds its connection string. */
export type VaultDatabase = VaultClient<'query'>;

export function connectPatientsDatabase(url: string, onQuery?: (sql: string) => void): PatientsDatabase {
  return connectPrisma((options) => new PatientsClient(options), url, onQuery, 'patients');
}

export function connectVaultDatabase(url: string, onQuery?: (sql: string) => void): VaultDatabase {
  return connectPrisma((options) => new VaultClient(options), url, onQuery, 'pii_vault');
}
