import { PrismaPg } from '@prisma/adapter-pg';
import pg, { type QueryResultRow } from 'pg';
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
  return createPool(connectionString, database).adapter;
}

function createPool(connectionString: string, database?: DatabaseName): { adapter: PrismaPg; pool: pg.Pool } {
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
  return { adapter: new PrismaPg(pool, { disposeExternalPool: true }), pool };
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
  const { adapter, pool } = createPool(connectionString, database);
  const db = create({
    adapter,
    // Query events only for a listener: with a query log on, Prisma formats every query's parameters
    // whether anyone listens or not (an empty list logs nothing, as no `log` option does).
    log: onQuery ? [{ emit: 'event', level: 'query' }] : [],
  });
  if (onQuery) db.$on('query', (event) => onQuery(event.query));
  directReads.set(db, async <Row>(text: string, values: unknown[]) => {
    onQuery?.(text);
    try {
      return (await pool.query<Row & QueryResultRow>(text, values)).rows;
    } catch (error) {
      throw new DirectReadError(error);
    }
  });
  return db;
}

type DirectRead = <Row>(text: string, values: unknown[]) => Promise<Row[]>;

/** The pool behind each client connectPrisma opened, for directRead. */
const directReads = new WeakMap<object, DirectRead>();

/**
 * A failed direct read, the driver's error as its cause: isDatabaseUnavailable follows it as it follows
 * Prisma's driver adapter errors, so an unreachable database is still answered SERVICE_UNAVAILABLE.
 */
export class DirectReadError extends Error {
  override readonly name = 'DirectReadError';
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * Runs one SELECT of a fixed shape on the client's own pool, without Prisma: the same SQL as
 * `$queryRawUnsafe(text, ...values)` and the same rows for the types these reads use (uuid and text as
 * strings, timestamptz as Date, boolean), at a fraction of the CPU. Prisma's per-query work (its
 * request pipeline, the interpreter, result mapping) was most of what a subgraph spent on its hottest reads
 * beyond the HTTP and GraphQL work (profiled). `onQuery` still sees the statement. Only for reads whose
 * columns are of those types (bigint, numeric, json and arrays come back differently from pg) and never
 * inside a transaction (the pool's connection is not the transaction's). A client not opened by
 * connectPrisma (a test's own) is asked through Prisma.
 */
export function directRead<Row>(
  db: { $queryRawUnsafe<T>(query: string, ...values: unknown[]): PromiseLike<T> },
  text: string,
  values: unknown[],
): Promise<Row[]> {
  const read = directReads.get(db);
  return read ? read<Row>(text, values) : Promise.resolve(db.$queryRawUnsafe<Row[]>(text, ...values));
}

interface QueryEvents {
  $on(eventType: 'query', callback: (event: { query: string }) => void): unknown;
}
