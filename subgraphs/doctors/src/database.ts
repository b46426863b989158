import { connectPrisma } from '@clinic/platform';
import { PrismaClient } from './generated/prisma/client';

export type DoctorsDatabase = PrismaClient<'query'>;

export function connectDoctorsDatabase(url: string, onQuery?: (sql: string) => void): DoctorsDatabase {
  return connectPrisma((options) => new PrismaClient(options), url, onQuery, 'doctors');
}
