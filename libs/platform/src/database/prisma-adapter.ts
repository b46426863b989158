import { PrismaPg } from '@prisma/adapter-pg';

/** The driver adapter every service's Prisma client runs on, against PGlite or a real server alike. */
export function createPgAdapter(connectionString: string, maxConnections = 10): PrismaPg {
  return new PrismaPg({ connectionString, max: maxConnections });
}
