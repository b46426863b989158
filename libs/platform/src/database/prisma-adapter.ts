import { PrismaPg } from '@prisma/adapter-pg';

const DEFAULT_POOL_SIZE = 10;

/**
 * The driver adapter every service's Prisma client runs on, against PGlite or a real server alike.
 * Honours Prisma's `connection_limit` URL parameter as the pool size: embedded databases ask for 1,
 * because pglite-socket interleaves the extended-protocol messages of concurrent connections.
 */
export function createPgAdapter(connectionString: string): PrismaPg {
  const url = new URL(connectionString);
  const limit = Number(url.searchParams.get('connection_limit') ?? DEFAULT_POOL_SIZE);
  url.searchParams.delete('connection_limit');
  return new PrismaPg({
    connectionString: url.toString(),
    max: Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_POOL_SIZE,
  });
}
