import { createPgAdapter } from '@clinic/platform';
import { PrismaClient } from './generated/prisma/client';

export type DoctorsDatabase = PrismaClient<'query'>;

export function connectDoctorsDatabase(url: string, onQuery?: (sql: string) => void): DoctorsDatabase {
  const db = new PrismaClient({ adapter: createPgAdapter(url), log: [{ emit: 'event', level: 'query' }] });
  if (onQuery) db.$on('query', (event) => onQuery(event.query));
  return db;
}
