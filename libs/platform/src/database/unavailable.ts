/**
 * Whether an error means a database cannot be reached for now (refused, reset, shut down, starting up,
 * out of connections), as opposed to a query that is wrong. Such a failure is the client's to retry:
 * maskError answers it with SERVICE_UNAVAILABLE instead of INTERNAL_SERVER_ERROR. Prisma wraps the
 * driver's error (its `meta.driverAdapterError`), GraphQL wraps the resolver's (`originalError`), and
 * other code may set `cause`: each is followed.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const next = queue.shift();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    const { code, kind, message, meta, originalError, cause } = next as Record<string, unknown>;
    if (typeof code === 'string' && (PRISMA_UNREACHABLE.has(code) || UNREACHABLE.test(code))) return true;
    if (typeof kind === 'string' && ADAPTER_UNREACHABLE.has(kind)) return true;
    if (typeof message === 'string' && UNREACHABLE_WORDING.test(message)) return true;
    const adapter = (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError;
    queue.push(adapter, (adapter as { cause?: unknown } | undefined)?.cause, originalError, cause);
  }
  return false;
}

/** Prisma's: can't reach, timed out, server closed the connection, no connection from the pool in time. */
const PRISMA_UNREACHABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/**
 * Sockets refused, reset or timed out; SQLSTATE class 08 (connection exception), 57P01-57P03 (shut
 * down by the administrator, crashed, cannot connect now: starting up or shutting down), 53300 (too
 * many connections).
 */
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|08\w{3}|57P0[123]|53300)$/;
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
