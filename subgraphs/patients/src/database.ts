import { createPgAdapter } from '@clinic/platform';
import { PrismaClient as PatientsClient } from './generated/prisma-patients/client';
import { PrismaClient as VaultClient } from './generated/prisma-vault/client';

export type PatientsDatabase = PatientsClient<'query'>;
/** The PII vault: only this service holds its connection string. */
export type VaultDatabase = VaultClient<'query'>;

export function connectPatientsDatabase(url: string, onQuery?: (sql: string) => void): PatientsDatabase {
  const db = new PatientsClient({
    adapter: createPgAdapter(url),
    // Query events only for a listener: with a query log on, Prisma formats every query's parameters
    // whether anyone listens or not (an empty list logs nothing, as no `log` option does).
    log: onQuery ? [{ emit: 'event', level: 'query' }] : [],
  });
  if (onQuery) db.$on('query', (event) => onQuery(event.query));
  return db;
}

export function connectVaultDatabase(url: string, onQuery?: (sql: string) => void): VaultDatabase {
  const db = new VaultClient({
    adapter: createPgAdapter(url),
    // Query events only for a listener: with a query log on, Prisma formats every query's parameters
    // whether anyone listens or not (an empty list logs nothing, as no `log` option does).
    log: onQuery ? [{ emit: 'event', level: 'query' }] : [],
  });
  if (onQuery) db.$on('query', (event) => onQuery(event.query));
  return db;
}
