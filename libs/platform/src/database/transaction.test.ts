import { handleOnce } from '../events/inbox';
import { mockBookedEvent } from '@clinic/testing';
import type { RawSql, TransactionalSql } from '../events/outbox';
import { inTransaction, isRetryableTransactionFailure } from './transaction';

/** A database whose transactions fail with `failures` in turn, then run the work. */
function flakyDatabase(failures: unknown[]) {
  const tx: RawSql = {
    $queryRawUnsafe: async <T>() => [] as T,
    $executeRawUnsafe: async () => 1,
  };
  let attempts = 0;
  const db: TransactionalSql<RawSql> = {
    $transaction: async (work) => {
      attempts += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return work(tx);
    },
  };
  return { db, attempts: () => attempts };
}

const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
const prismaWriteConflict = Object.assign(new Error('Transaction failed due to a write conflict'), {
  code: 'P2034',
});
const serialization = { message: 'wrapped', cause: { code: '40001' } };

describe('inTransaction', () => {
  it('runs the work again after a deadlock or a serialization failure, and answers its result', async () => {
    const { db, attempts } = flakyDatabase([deadlock, prismaWriteConflict, serialization]);
    expect(await inTransaction(db, async () => 'done')).toBe('done');
    expect(attempts()).toBe(4);
  });

  it('gives up after the attempts it was given, with the last failure', async () => {
    const { db, attempts } = flakyDatabase([deadlock, deadlock, deadlock]);
    await expect(inTransaction(db, async () => 'done', { attempts: 2 })).rejects.toBe(deadlock);
    expect(attempts()).toBe(2);
  });

  it('never runs again after any other failure', async () => {
    const broken = new Error('relation "slot" does not exist');
    const { db, attempts } = flakyDatabase([broken]);
    await expect(inTransaction(db, async () => 'done')).rejects.toBe(broken);
    expect(attempts()).toBe(1);
    expect(isRetryableTransactionFailure({ code: '23505' })).toBe(false);
  });

  it('is what consumers handle events in: a deadlock is retried at once, not left to redelivery', async () => {
    const { db, attempts } = flakyDatabase([deadlock]);
    let effects = 0;
    expect(await handleOnce(db, 'test', mockBookedEvent(), async () => void effects++)).toBe(true);
    expect(effects).toBe(1);
    expect(attempts()).toBe(2);
  });
});
