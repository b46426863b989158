import { connectPrisma } from '@clinic/platform';
import { PrismaClient } from './generated/prisma/client';

export type AuditDatabase = PrismaClient<'query'>;

export function connectAuditDatabase(url: string, onQuery?: (sql: string) => void): AuditDatabase {
  return connectPrisma(
    (options) =>
      new PrismaClient({
        ...options,
        // Appends queue on the hash chain's lock (trail/append-entries.ts): allow for the wait behind other
        // consumers' batches, well beyond Prisma's default 5 s, before giving a batch up.
        transactionOptions: { maxWait: 10_000, timeout: 60_000 },
      }),
    url,
    onQuery,
    'audit',
  );
}
