import { GraphQLError } from 'graphql';
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
    expect(isDatabaseUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    // node-postgres on a pooled connection the server ended (seen mid-transaction at a fast shutdown).
    expect(
      isDatabaseUnavailable(
        new GraphQLError('x', {
          originalError: new Error('Client has encountered a connection error and is not queryable'),
        }),
      ),
    ).toBe(true);
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
