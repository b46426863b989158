import pino from 'pino';
import type { EventEnvelope, TopicKey } from '@clinic/contracts';
import type { EventBus } from './event-bus';
import { OutboxRelay, type RawSql } from './outbox';

const trace = (n: number, flags: '00' | '01') =>
  `00-${String(n).padStart(32, '0')}-${String(n).padStart(16, '0')}-${flags}`;

/** A relay over rows the fake database hands it, counting the bus's sends. */
async function sendsFor(
  rows: { topic: TopicKey; traceparent: string | null }[],
  headers: (readonly (string | null)[] | 'the active context')[] = [],
): Promise<number[]> {
  const sends: number[] = [];
  const tx: RawSql = {
    $queryRawUnsafe: async <T>() =>
      rows.map((row, index) => ({
        ...row,
        envelope: { id: String(index) } as unknown as EventEnvelope,
      })) as T,
    $executeRawUnsafe: async () => 0,
  };
  // Outside a transaction the relay only asks whether anything is unpublished.
  const db = {
    $queryRawUnsafe: async <T>() => [{ any: rows.length > 0 }] as T,
    $executeRawUnsafe: async () => 0,
    $transaction: <R>(work: (inner: RawSql) => Promise<R>) => work(tx),
  };
  const bus = {
    publish: async (
      _topic: TopicKey,
      events: readonly EventEnvelope[],
      traceparents?: readonly (string | null)[],
    ) => {
      sends.push(events.length);
      headers.push(traceparents ?? 'the active context');
    },
  } as unknown as EventBus;
  const relay = new OutboxRelay({
    db,
    bus,
    service: 'appointments',
    logger: pino({ level: 'silent' }),
    lockKey: 1,
  });
  await relay.runOnce();
  return sends;
}

describe('the outbox relay batches its sends', () => {
  it('publishes the rows of many unsampled requests of one topic in one send', async () => {
    const rows = Array.from({ length: 40 }, (_, n) => ({
      topic: 'appointments' as TopicKey,
      traceparent: trace(n, '00'),
    }));
    const headers: (readonly (string | null)[] | 'the active context')[] = [];
    expect(await sendsFor(rows, headers)).toEqual([40]);
    // ...each message with its own request's (unsampled) context, never the first one's.
    expect(headers).toEqual([rows.map((row) => row.traceparent)]);
  });

  it('gives each sampled trace a send of its own, so its messages continue it', async () => {
    const sends = await sendsFor([
      { topic: 'appointments', traceparent: trace(1, '01') },
      { topic: 'appointments', traceparent: trace(1, '01') },
      { topic: 'appointments', traceparent: trace(2, '01') },
      { topic: 'appointments', traceparent: trace(3, '00') },
      { topic: 'appointments', traceparent: trace(4, '00') },
    ]);
    expect(sends).toEqual([2, 1, 2]);
  });
});
