import { GraphQLError } from 'graphql';
import { DirectReadError } from './prisma-adapter';
import { isDatabaseUnavailable } from './unavailable';

describe('isDatabaseUnavailable', () => {
  it('recognises a database that cannot be reached for now, however it is wrapped', () => {
    // As Prisma 7 on @prisma/adapter-pg reports a refused connection (seen against a closed port).
    const prisma = Object.assign(new Error('Invalid `db.appointment.findFirst()` invocation'), {
      code: 'P1001',
      meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable' } } },
    });
    expect(isDatabaseUnavailable(prisma)).toBe(true);
    const raw = Object.assign(new Error('Raw query failed.'), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } },
    });
    expect(isDatabaseUnavailable(new GraphQLError('wrapped', { originalError: raw }))).toBe(true);
    // PostgreSQL's fast shutdown and restart, as the adapter passes them on.
    const shutdown = { meta: { driverAdapterError: { cause: { kind: 'postgres', code: '57P01' } } } };
    expect(isDatabaseUnavailable(shutdown)).toBe(true);
    expect(isDatabaseUnavailable({ code: '57P03' })).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('x', { cause: new Error('Connection terminated unexpectedly') })),
    ).toBe(true);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable({ meta: { driverAdapterError: { cause: refused } } })).toBe(true);
    // node-postgres on a pooled connection the server ended (seen mid-transaction at a fast shutdown).
    expect(
      isDatabaseUnavailable(
        new GraphQLError('x', {
          originalError: new Error('Client has encountered a connection error and is not queryable'),
        }),
      ),
    ).toBe(true);
  });

  it('counts a socket reset or timeout when Prisma or its driver adapter reports it', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), {
      code: 'ECONNRESET',
      syscall: 'read',
      errno: -104,
    });
    const prisma = Object.assign(new Error('Invalid `db.appointment.create()` invocation'), {
      name: 'PrismaClientUnknownRequestError',
      clientVersion: '7.0.0',
      cause: reset,
    });
    expect(isDatabaseUnavailable(new GraphQLError('x', { originalError: prisma }))).toBe(true);
    const viaAdapter = { code: 'P2010', meta: { driverAdapterError: { cause: { code: 'EPIPE' } } } };
    expect(isDatabaseUnavailable(viaAdapter)).toBe(true);
    const lookup = Object.assign(new Error('adapter'), {
      name: 'DriverAdapterError',
      cause: { code: 'EAI_AGAIN' },
    });
    expect(isDatabaseUnavailable(lookup)).toBe(true);
    // A read that skips Prisma (directRead) reports the pool's error the same way.
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(
      isDatabaseUnavailable(new GraphQLError('x', { originalError: new DirectReadError(refused) })),
    ).toBe(true);
    expect(isDatabaseUnavailable(new DirectReadError(new Error('syntax error at or near')))).toBe(false);
  });

  it('does not take a protocol violation for an outage: it is a client bug no retry mends', () => {
    expect(isDatabaseUnavailable({ code: '08P01' })).toBe(false);
    const bindCount = Object.assign(new Error('Raw query failed.'), {
      code: 'P2010',
      meta: {
        driverAdapterError: {
          cause: {
            kind: 'postgres',
            code: '08P01',
            message: 'bind message supplies 1 parameters, but prepared statement requires 2',
          },
        },
      },
    });
    expect(isDatabaseUnavailable(new GraphQLError('x', { originalError: bindCount }))).toBe(false);
    // The rest of class 08 is the connection failing.
    for (const code of ['08000', '08001', '08003', '08004', '08006', '08007'])
      expect(
        isDatabaseUnavailable({ meta: { driverAdapterError: { cause: { kind: 'postgres', code } } } }),
      ).toBe(true);
  });

  it('does not blame the database for a socket of another dependency failing (AWS SDK, fetch)', () => {
    // As the AWS SDK v3 rethrows a node socket error after its retries (KMS, SES).
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']) {
      const aws = Object.assign(new Error(`read ${code}`), {
        code,
        errno: -104,
        syscall: 'read',
        $metadata: { attempts: 3, totalRetryDelay: 412 },
      });
      expect(isDatabaseUnavailable(aws)).toBe(false);
      expect(isDatabaseUnavailable(new GraphQLError('x', { originalError: aws }))).toBe(false);
      expect(isDatabaseUnavailable(new Error('encrypting failed', { cause: aws }))).toBe(false);
    }
    // As undici's fetch fails: a TypeError whose cause is the socket's error.
    const fetchFailed = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), {
        code: 'ECONNRESET',
        syscall: 'read',
        errno: -104,
      }),
    });
    expect(isDatabaseUnavailable(fetchFailed)).toBe(false);
    expect(isDatabaseUnavailable(new GraphQLError('x', { originalError: fetchFailed }))).toBe(false);
  });

  it('leaves every other failure to be masked as ours', () => {
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
    const unique = {
      code: 'P2002',
      meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation' } } },
    };
    expect(isDatabaseUnavailable(unique)).toBe(false);
    expect(
      isDatabaseUnavailable({ meta: { driverAdapterError: { cause: { kind: 'postgres', code: '42P01' } } } }),
    ).toBe(false);
    const cyclic: { cause?: unknown } = {};
    cyclic.cause = cyclic;
    expect(isDatabaseUnavailable(cyclic)).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
