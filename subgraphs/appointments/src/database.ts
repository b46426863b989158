import { createPgAdapter } from '@clinic/platform';
import { PrismaClient } from './generated/prisma/client';

export type AppointmentsDatabase = PrismaClient<'query'>;

export function connectAppointmentsDatabase(
  url: string,
  onQuery?: (sql: string) => void,
): AppointmentsDatabase {
  const db = new PrismaClient({ adapter: createPgAdapter(url), log: [{ emit: 'event', level: 'query' }] });
  if (onQuery) db.$on('query', (event) => onQuery(event.query));
  return db;
}
