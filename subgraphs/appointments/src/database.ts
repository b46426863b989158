import { connectPrisma } from '@clinic/platform';
import { PrismaClient } from './generated/prisma/client';

export type AppointmentsDatabase = PrismaClient<'query'>;

export function connectAppointmentsDatabase(
  url: string,
  onQuery?: (sql: string) => void,
): AppointmentsDatabase {
  return connectPrisma((options) => new PrismaClient(options), url, onQuery, 'appointments');
}
