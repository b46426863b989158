import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { DatabaseName } from '@clinic/contracts';
import { DATABASE_SERVICE, poolSources } from '../metrics/catalogue';
import type { SourceReading } from '../metrics/scrape-time';

const DEFAULT_POOL_SIZE = 10;

/**
 * The driver adapter every service's Prisma client runs on, against PGlite or a real server alike.
 * Honours Prisma's `connection_limit` URL parameter as the pool size: embedded databases ask for 1,
 * because pglite-socket interleaves the extended-protocol messages of concurrent connections.
 */
export function createPgAdapter(connectionString: string, database?: DatabaseName): PrismaPg {
  const url = new URL(connectionString);
  const limit = Number(url.searchParams.get('connection_limit') ?? DEFAULT_POOL_SIZE);
  url.searchParams.delete('connection_limit');
  // The pool is made here rather than by the adapter, so its counts can be read for the metrics; the
  // adapter still ends it when the client disconnects.
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_POOL_SIZE,
  });
  if (database) observePool(pool, database);
  return new PrismaPg(pool, { disposeExternalPool: true });
}

/** db_client_connections_usage and _pending_requests from the pool's own counts, at scrape time, until it ends. */
function observePool(pool: pg.Pool, database: DatabaseName): void {
  const labels = { service: DATABASE_SERVICE[database], pool: database };
  const unobserve = poolSources.add(async (): Promise<SourceReading<'service' | 'pool' | 'state'>> => {
    if (pool.ended) {
      unobserve();
      return {};
    }
    return {
      connections: [
        { labels: { ...labels, state: 'used' }, value: pool.totalCount - pool.idleCount },
        { labels: { ...labels, state: 'idle' }, value: pool.idleCount },
      ],
      pending: [{ labels, value: pool.waitingCount }],
    };
  });
}

/** What `connectPrisma` hands a service's generated PrismaClient constructor. */
export interface PrismaConnectionOptions {
  adapter: PrismaPg;
  log: { emit: 'event'; level: 'query' }[];
}

/**
 * Opens a service's Prisma client on the driver adapter above. Every service connects the same way; the
 * only difference is its generated client (and, for some, extra client options), which `create` supplies:
 * `connectPrisma((options) => new PrismaClient(options), url, onQuery)`. With `onQuery`, every SQL
 * statement is handed to it (tests count queries); without it no query log is kept at all.
 */
export function connectPrisma<Client extends QueryEvents>(
  create: (options: PrismaConnectionOptions) => Client,
  connectionString: string,
  onQuery?: (sql: string) => void,
  /** Which database: the `pool` label of its pool's metrics. */
  database?: DatabaseName,
): Client {
  const db = create({
    adapter: createPgAdapter(connectionString, database),
    // Query events only for a listener: with a query log on, Prisma formats every query's parameters
    // whether anyone listens or not (an empty list logs nothing, as no `log` option does).
    log: onQuery ? [{ emit: 'event', level: 'query' }] : [],
  });
  if (onQuery) db.$on('query', (event) => onQuery(event.query));
  return db;
}

interface QueryEvents {
  $on(eventType: 'query', callback: (event: { query: string }) => void): unknown;
}
