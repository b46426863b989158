import { createPgAdapter } from '@clinic/platform';
import { PrismaClient } from './generated/prisma/client';

export type AuditDatabase = PrismaClient<'query'>;

export function connectAuditDatabase(url: string, onQuery?: (sql: string) => void): AuditDatabase {
  const db = new PrismaClient({ adapter: createPgAdapter(url), log: [{ emit: 'event', level: 'query' }] });
  if (onQuery) db.$on('query', (event) => onQuery(event.query));
  return db;
}
