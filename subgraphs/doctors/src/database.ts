import { createPgAdapter } from '@clinic/platform';
import { PrismaClient } from './generated/prisma/client';

export type DoctorsDatabase = PrismaClient<'query'>;

export function connectDoctorsDatabase(url: string, onQuery?: (sql: string) => void): DoctorsDatabase {
  const db = new PrismaClient({
    adapter: createPgAdapter(url),
    // Query events only for a listener: with a query log on, Prisma formats every query's parameters
    // whether anyone listens or not (an empty list logs nothing, as no `log` option does).
    log: onQuery ? [{ emit: 'event', level: 'query' }] : [],
  });
  if (onQuery) db.$on('query', (event) => onQuery(event.query));
  return db;
}
