/**
 * Whether an error means a database cannot be reached for now (refused, reset, shut down, starting up,
 * out of connections), as opposed to a query that is wrong. Such a failure is the client's to retry:
 * maskError answers it with SERVICE_UNAVAILABLE instead of INTERNAL_SERVER_ERROR, and event consumers wait
 * for the database instead of dead-lettering. Prisma wraps the driver's error (its
 * `meta.driverAdapterError`), GraphQL wraps the resolver's (`originalError`), and other code may set
 * `cause`: each is followed.
 *
 * A socket refused, reset, timed out or a failed name lookup says nothing about which server failed: it counts only
 * when it comes through Prisma or its driver adapter. The same code from an AWS SDK call (KMS, SES) or a
 * fetch is another dependency failing, which must not make a consumer wait forever for its database.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: { next: unknown; viaDriver: boolean }[] = [{ next: error, viaDriver: false }];
  while (queue.length > 0) {
    const item = queue.shift();
    if (!item) break;
    const { next } = item;
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    const { code, kind, message, meta, originalError, cause } = next as Record<string, unknown>;
    const viaDriver = item.viaDriver || isPrismaError(next);
    if (typeof code === 'string') {
      if (PRISMA_UNREACHABLE.has(code) || UNREACHABLE.test(code)) return true;
      if (viaDriver && SOCKET_FAILURE.test(code)) return true;
    }
    if (typeof kind === 'string' && ADAPTER_UNREACHABLE.has(kind)) return true;
    if (typeof message === 'string' && UNREACHABLE_WORDING.test(message)) return true;
    const adapter = (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError;
    queue.push(
      { next: adapter, viaDriver: true },
      { next: (adapter as { cause?: unknown } | undefined)?.cause, viaDriver: true },
      { next: originalError, viaDriver },
      { next: cause, viaDriver },
    );
  }
  return false;
}

/** Prisma's error classes (all carry `clientVersion`), the driver adapter's, and directRead's. */
function isPrismaError(error: object): boolean {
  const { name, clientVersion } = error as { name?: unknown; clientVersion?: unknown };
  return (
    typeof clientVersion === 'string' ||
    (typeof name === 'string' && /^(PrismaClient\w+Error|DriverAdapterError|DirectReadError)$/.test(name))
  );
}

/** Prisma's: can't reach, timed out, server closed the connection, no connection from the pool in time. */
const PRISMA_UNREACHABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/**
 * SQLSTATE class 08 (connection exception) but for 08P01 (protocol violation: a client bug, such as a wrong count
 * of bind parameters, that no retry mends), 57P01-57P03 (shut down by the administrator, crashed, cannot
 * connect now: starting up or shutting down), 53300 (too many connections).
 */
const UNREACHABLE = /^(08000|08001|08003|08004|08006|08007|57P0[123]|53300)$/;
/**
 * Sockets refused, reset, broken, timed out or not resolved: the database's only when the driver reports
 * them (a KMS or SES endpoint refusing is another dependency, and must not hold a consumer forever).
 */
const SOCKET_FAILURE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/;
/** @prisma/adapter-pg's kinds for the same. */
const ADAPTER_UNREACHABLE = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** node-postgres's errors without a code, and Prisma's wording when it keeps none. */
const UNREACHABLE_WORDING =
  /Connection terminated|Client has encountered a connection error|terminating connection due to administrator command|Can't reach database server|Server has closed the connection|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i;
