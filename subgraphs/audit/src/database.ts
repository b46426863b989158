import { createPgAdapter } from '@clinic/platform';
import { PrismaClient } from './generated/prisma/client';

export type AuditDatabase = PrismaClient<'query'>;

export function connectAuditDatabase(url: string, onQuery?: (sql: string) => void): AuditDatabase {
  const db = new PrismaClient({
    adapter: createPgAdapter(url),
    // Query events only for a listener: with a query log on, Prisma formats every query's parameters
    // whether anyone listens or not (an empty list logs nothing, as no `log` option does).
    log: onQuery ? [{ emit: 'event', level: 'query' }] : [],
    // Appends queue on the hash chain's lock (trail/append-entries.ts): allow for the wait behind other
    // consumers' batches, well beyond Prisma's default 5 s, before giving a batch up.
    transactionOptions: { maxWait: 10_000, timeout: 60_000 },
  });
  if (onQuery) db.$on('query', (event) => onQuery(event.query));
  return db;
}
