import { connectPrisma, directRead, DirectReadError } from './prisma-adapter';
import { isDatabaseUnavailable } from './unavailable';

/** Enough of a Prisma client for connectPrisma: directRead must not call it for a client it opened. */
function fakeClient() {
  const viaPrisma: string[] = [];
  return {
    viaPrisma,
    $on: () => undefined,
    $queryRawUnsafe: <T>(query: string) => {
      viaPrisma.push(query);
      return Promise.resolve([] as T);
    },
  };
}

describe('directRead', () => {
  it('reads on the pool of a client connectPrisma opened, and reports an unreachable database as such', async () => {
    const statements: string[] = [];
    // Nothing listens on port 1: the pool's connection is refused.
    const db = connectPrisma(fakeClient, 'postgresql://x:y@127.0.0.1:1/none', (sql) => statements.push(sql));
    const error = await directRead(db, 'SELECT 1', []).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DirectReadError);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(db.viaPrisma).toEqual([]);
    // onQuery still sees every statement, as it sees Prisma's.
    expect(statements).toEqual(['SELECT 1']);
  });

  it('asks a client it does not know through Prisma', async () => {
    const db = fakeClient();
    expect(await directRead(db, 'SELECT 2', [1])).toEqual([]);
    expect(db.viaPrisma).toEqual(['SELECT 2']);
  });
});
