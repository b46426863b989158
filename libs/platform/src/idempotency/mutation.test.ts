import { invalid, notAllowed, type Identity, type InvalidInput, type NotAllowed } from '@clinic/contracts';
import type { RawSql, TransactionalSql } from '../events/outbox';
import { mutation } from './mutation';

type Done = { __typename: 'Done'; subject: unknown };
type Answer = Done | NotAllowed | InvalidInput;

const admin: Identity = {
  role: 'ClinicAdmin',
  subject: 'a',
  clinicId: 'c1110000-0000-4000-8000-000000000001',
};
const ID = '6f1c0000-0000-4000-8000-000000000001';

/** A database that records whether the prelude got as far as running anything. */
function database() {
  const used: string[] = [];
  const tx: RawSql = {
    $queryRawUnsafe: async () => {
      used.push('query');
      return [] as never;
    },
    $executeRawUnsafe: async () => {
      used.push('execute');
      return 1;
    },
  };
  const db: TransactionalSql = { $transaction: (work) => work(tx) };
  return { db, used };
}

function run(
  identity: Identity | null,
  ids: [string, string | null, string?][],
  permission: (identity: Identity) => unknown,
) {
  const { db, used } = database();
  const outcome = mutation<RawSql, Answer, unknown>(
    {
      db,
      identity,
      signIn: 'Sign in to do it.',
      ids,
      permission: permission as (identity: Identity) => Answer,
      key: 'key-00000001',
      operation: 'doIt',
      input: ({ subject }) => ({ subject }),
    },
    async (_tx, { subject }) => ({ __typename: 'Done', subject }),
  );
  return { outcome, used };
}

describe('the mutation prelude', () => {
  it('asks a caller without a token to sign in, before anything else', async () => {
    const { outcome, used } = run(null, [['id', 'not-a-uuid']], () => notAllowed('no'));
    await expect(outcome).rejects.toMatchObject({
      message: 'Sign in to do it.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(used).toEqual([]);
  });

  it('answers the first malformed id, then the permission, and runs nothing for either', async () => {
    const permission = jest.fn(() => notAllowed('no'));
    const bad = run(
      admin,
      [
        ['id', ID],
        ['other', 'x', 'This is no other.'],
        ['third', 'y'],
      ],
      permission,
    );
    await expect(bad.outcome).resolves.toEqual(invalid('other', 'This is no other.'));
    expect(permission).not.toHaveBeenCalled();
    const defaulted = run(admin, [['third', 'y']], permission);
    await expect(defaulted.outcome).resolves.toEqual(invalid('third', 'This is not a valid third.'));
    const refused = run(
      admin,
      [
        ['id', ID],
        ['absent', null],
      ],
      permission,
    );
    await expect(refused.outcome).resolves.toEqual(notAllowed('no'));
    expect([...bad.used, ...defaulted.used, ...refused.used]).toEqual([]);
  });

  it('runs the work once admitted, with what the permission admitted', async () => {
    const { outcome, used } = run(admin, [['id', ID]], async () => ({ doctor: ID }));
    await expect(outcome).resolves.toEqual({ __typename: 'Done', subject: { doctor: ID } });
    // runIdempotent claimed the key and recorded the outcome.
    expect(used).toEqual(['execute', 'execute']);
  });
});
