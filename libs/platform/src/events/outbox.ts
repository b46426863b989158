import type { Logger } from 'pino';
import { PollingLoop } from '../background/polling-loop';
import { TOPICS, type EventEnvelope, type TopicKey } from '@clinic/contracts';
import { currentTraceparent, inProducerSpan } from '../telemetry/event-spans';
import type { EventBus } from './event-bus';
import { outboxSources, type ServiceLabel } from '../metrics/catalogue';

/** What a transactional outbox needs of a Prisma client (or its transaction): raw SQL. */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

export interface TransactionalSql<Tx extends RawSql = RawSql> {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
}

/**
 * Writes events to the `outbox` table inside the caller's transaction, so they exist exactly when the
 * state change does: a rolled-back change leaves no event, and a committed one is published by the relay
 * even if the process dies right after the commit. The table is defined in mechanism-tables.ts.
 */
export async function enqueueEvents(
  tx: RawSql,
  topic: TopicKey,
  events: readonly EventEnvelope[],
): Promise<void> {
  if (events.length === 0) return;
  // One statement and one JSON parameter however many events: a batch costs one round trip, and no
  // envelope is escaped into an array literal. Rows are inserted in the batch's order (ORDER BY the
  // ordinality), so `seq`, the relay's publish order, follows it.
  // The trace the change belongs to, so the relay's publish continues it (null outside a trace).
  await tx.$executeRawUnsafe(
    `INSERT INTO "outbox" ("id", "topic", "aggregate_id", "envelope", "traceparent")
     SELECT ("e"->>'id')::uuid, $2, "e"->>'aggregateId', "e", $3
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t("e", "n") ORDER BY "n"`,
    JSON.stringify(events),
    topic,
    currentTraceparent(),
  );
}

export interface OutboxRelayOptions {
  db: TransactionalSql & RawSql;
  /** Whose outbox: the `service` label of outbox_backlog_rows and outbox_oldest_unpublished_age_seconds. */
  service: ServiceLabel;
  bus: EventBus;
  logger: Logger;
  /** Identifies this outbox among others in one PostgreSQL server, for the relay's advisory lock. */
  lockKey: number;
  batchSize?: number;
  /** How long an idle relay waits before looking again, unless poked. */
  idleMs?: number;
}

/**
 * Publishes committed outbox rows in order and marks them sent. Several relays may run against one
 * outbox: a transaction-scoped advisory lock lets one publish at a time, so none publishes a row twice
 * and one aggregate's events keep their order. If a relay dies after publishing but before its mark
 * commits, the batch is published again: consumers are idempotent by event id.
 */
export class OutboxRelay {
  private readonly loop: PollingLoop;
  private unobserve: (() => void) | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    this.loop = new PollingLoop({
      work: () => this.runOnce(),
      logger: options.logger,
      failureMessage: 'outbox relay failed; retrying',
      idleMs: options.idleMs ?? 250,
    });
  }

  /** Publishes one batch; returns how many rows it published (0 when another relay holds the lock). */
  async runOnce(): Promise<number> {
    const { db, bus, lockKey } = this.options;
    // Most rounds find nothing (every idle poll, and the round after each batch): one read of the index
    // of unpublished rows says so without a transaction. A row committed after it comes with a poke.
    if (!(await this.anyUnpublished())) return 0;
    return db.$transaction(
      async (tx) => {
        // Lock, pick and mark in one statement (one round trip, not three): the marks commit only if
        // every publish below succeeds, since a throw rolls the transaction back. Without the lock
        // (another relay holds it) the inner select is empty and nothing is marked.
        // The statement's snapshot is taken before the lock is: a relay that committed in between
        // still looks unpublished to the inner select. The outer `published_at IS NULL` is checked
        // again on each row's latest version, so such rows are skipped, not published twice.
        const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
          `WITH "lock" AS (SELECT pg_try_advisory_xact_lock($1) AS "locked"),
           "picked" AS (
             UPDATE "outbox" SET "published_at" = now()
             WHERE "published_at" IS NULL AND "seq" IN (
               SELECT "seq" FROM "outbox"
               WHERE "published_at" IS NULL AND (SELECT "locked" FROM "lock")
               ORDER BY "seq" LIMIT $2
             )
             RETURNING "seq", "topic", "envelope", "traceparent"
           )
           SELECT "topic", "envelope", "traceparent" FROM "picked" ORDER BY "seq"`,
          lockKey,
          this.options.batchSize ?? 500,
        );
        if (rows.length === 0) return 0;
        // A sampled trace's run is published inside a `publish <topic>` span continuing it. A run of
        // unsampled requests records nothing: each message carries its own row's context, so a consumer
        // never logs another request's trace id.
        for (const run of consecutiveRuns(rows))
          if (run.key === 'unsampled') await bus.publish(run.topic, run.events, run.traceparents);
          else
            await inProducerSpan(TOPICS[run.topic].name, run.key, run.events.length, () =>
              bus.publish(run.topic, run.events),
            );
        return rows.length;
      },
      { maxWait: 10_000, timeout: 120_000 },
    );
  }

  private async anyUnpublished(): Promise<boolean> {
    const [row] = await this.options.db.$queryRawUnsafe<{ any: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM "outbox" WHERE "published_at" IS NULL) AS "any"`,
    );
    return row?.any === true;
  }

  start(): void {
    this.loop.start();
    this.unobserve ??= outboxSources.add(() => this.backlog());
  }

  /**
   * The backlog for the metrics, read at scrape time: unpublished rows counted up to a bound, so a huge
   * backlog costs no more than a bounded index scan, and the oldest one's age, both on the partial index
   * of unpublished rows.
   */
  private async backlog() {
    const [row] = await this.options.db.$queryRawUnsafe<{ rows: number; age: number }[]>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM "outbox" WHERE "published_at" IS NULL LIMIT 100000) AS "u")::int AS "rows",
              COALESCE((SELECT EXTRACT(EPOCH FROM now() - "created_at") FROM "outbox"
                        WHERE "published_at" IS NULL ORDER BY "seq" LIMIT 1), 0)::float8 AS "age"`,
    );
    const labels = { service: this.options.service };
    return {
      backlog: [{ labels, value: Number(row?.rows ?? 0) }],
      age: [{ labels, value: Math.max(0, Number(row?.age ?? 0)) }],
    };
  }

  /** Wakes an idle relay at once, e.g. right after a commit that wrote events. */
  poke(): void {
    this.loop.poke();
  }

  async stop(): Promise<void> {
    this.unobserve?.();
    this.unobserve = null;
    await this.loop.stop();
  }
}

interface OutboxRow {
  topic: TopicKey;
  envelope: EventEnvelope;
  traceparent: string | null;
}

/**
 * Consecutive rows of one topic, in `seq` order, split where a sampled trace begins or ends: each sampled
 * trace gets a publish span of its own (its messages' headers continue it). Rows of unsampled requests
 * (flags 00) share one run whatever their trace ids, since nothing of theirs is recorded: with 10%
 * sampling a backlog is still published in a few sends, not one per request.
 */
function consecutiveRuns(rows: OutboxRow[]) {
  const runs: {
    topic: TopicKey;
    key: string | null;
    events: EventEnvelope[];
    traceparents: (string | null)[];
  }[] = [];
  for (const row of rows) {
    const key = row.traceparent && !sampled(row.traceparent) ? 'unsampled' : row.traceparent;
    const last = runs.at(-1);
    if (last?.topic === row.topic && last.key === key) {
      last.events.push(row.envelope);
      last.traceparents.push(row.traceparent);
    } else runs.push({ topic: row.topic, key, events: [row.envelope], traceparents: [row.traceparent] });
  }
  return runs;
}

/** The W3C trace-flags' sampled bit (the last field of `00-<trace>-<span>-<flags>`). */
function sampled(traceparent: string): boolean {
  return (Number.parseInt(traceparent.slice(-2), 16) & 1) === 1;
}
