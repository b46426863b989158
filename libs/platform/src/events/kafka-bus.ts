import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Kafka,
  KafkaJSAggregateError,
  KafkaJSProtocolError,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../database/unavailable';
import { withCorrelation } from '../logging/request-context';
import {
  parseEnvelope,
  type EventEnvelope,
  DEAD_LETTER_TOPIC,
  TOPICS,
  topicManifest,
  type TopicKey,
} from '@clinic/contracts';
import { inBatchConsumerSpan, inConsumerSpan } from '../telemetry/event-spans';
import { eventHeaders, type DeadLetter, type EventBus, type Subscription } from './event-bus';
import type { KafkaConnection } from './kafka-connection';
// For its effect: kafkajs's request queues otherwise spin on a 1 ms timer while idle.
import './kafkajs-request-queue';
import { consumerLagSources } from '../metrics/catalogue';
import type { Sample } from '../metrics/scrape-time';
import { consumerLabels, countDeadLetter, countHandled } from '../metrics/messaging';

export interface KafkaBusOptions extends Partial<Omit<KafkaConnection, 'brokers'>> {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Prefixed to every consumer group id, so environments (or test runs) can share one cluster. */
  groupPrefix?: string;
  /**
   * Prefixed to every topic name: an environment (or a test run) gets streams of its own on a shared
   * cluster, so a new consumer group never replays another environment's history.
   */
  topicPrefix?: string;
  /** Handler attempts before a message becomes a dead letter. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

const DEAD_LETTER_PREFIX = 'dead-letter-';
/** How long one reading of consumer lag serves scrapes, so several Prometheus replicas do not each ask Kafka. */
const LAG_CACHE_MS = 10_000;
/** Most events handed to one `handleBatch` call. */
const BATCH_CHUNK = 200;
/** How long the broker may hold a background consumer's fetch to gather events (see Subscription). */
export const BACKGROUND_WINDOW_MS = 500;
/** Or until this much has gathered: under a heavy stream a background consumer waits far less. */
const BACKGROUND_MIN_BYTES = 64 * 1024;

/**
 * The EventBus on Apache Kafka (kafkajs). Messages are keyed by aggregate id, so one aggregate's events
 * share a partition and stay in order; the producer is idempotent, so its own retries never duplicate.
 * Envelopes are validated before they are sent and again when they arrive; a message that fails
 * validation, or whose handler keeps failing, goes to the dead-letter topic and the partition moves on.
 */
export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers: Consumer[] = [];
  /**
   * Each consumer's group membership, for readiness() and health(): 'joined' once it has its partitions;
   * `joinedOnce` stays true through a later crash and restart.
   */
  private readonly membership = new Map<Consumer, { group: string; state: string; joinedOnce: boolean }>();
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private connected: Promise<void> | null = null;
  /** What each subscription consumes, for consumer lag. */
  private readonly consuming: {
    subscription: Subscription;
    groupId: string;
    topicName: string;
    /** A live subscription's place: the next offset of each partition, kept here, never committed. */
    liveNext: Map<number, string> | null;
  }[] = [];
  private unobserve: (() => void) | null = null;
  private lag: {
    at: number;
    samples: Promise<Sample<'service' | 'group' | 'topic' | 'partition'>[]>;
  } | null = null;

  constructor(private readonly options: KafkaBusOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      // TLS and SASL (MSK IAM or SCRAM) come from kafkaConnectionFromEnv; unset means plaintext.
      ...(options.ssl !== undefined ? { ssl: options.ssl } : {}),
      ...(options.sasl ? { sasl: options.sasl } : {}),
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...rest } = entry.log;
        options.logger[entry.level <= logLevel.ERROR ? 'error' : 'warn']({ kafka: rest }, message);
      },
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.admin = this.kafka.admin();
  }

  /** Connects and creates the manifest's topics that do not exist yet. Safe to call many times. */
  connect(): Promise<void> {
    this.connected ??= (async () => {
      await this.admin.connect();
      await whileKafkaSettles(() => this.createMissingTopics());
      await this.producer.connect();
    })().catch((error: unknown) => {
      this.connected = null;
      throw error;
    });
    return this.connected;
  }

  private async createMissingTopics(): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = topicManifest()
      .map((topic) => ({ ...topic, name: this.topicName(topic.name) }))
      .filter((topic) => !existing.has(topic.name));
    if (missing.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor: this.options.replicationFactor ?? 1,
        configEntries: [{ name: 'retention.ms', value: String(topic.retentionHours * 3_600_000) }],
      })),
    });
  }

  /** Each partition's first and next offsets. */
  private topicOffsets(topicName: string) {
    return whileKafkaSettles(() => this.admin.fetchTopicOffsets(topicName));
  }

  async publish(
    topic: TopicKey,
    events: readonly EventEnvelope[],
    traceparents?: readonly (string | null)[],
  ): Promise<void> {
    if (events.length === 0) return;
    // No JSON deep copy first: the zod parse already builds new objects and arrays, so later changes to
    // the publisher's objects cannot reach a consumer (and the copy cost CPU per event).
    const valid = events.map((event) => parseEnvelope(event));
    await this.connect();
    await this.producer.send({
      topic: this.topicName(TOPICS[topic].name),
      acks: -1,
      messages: valid.map((event, index) => ({
        key: event.aggregateId,
        value: JSON.stringify(event),
        headers: traceparents ? eventHeaders(event, traceparents[index] ?? null) : eventHeaders(event),
      })),
    });
  }

  async subscribe(subscription: Subscription): Promise<void> {
    await this.connect();
    const topicName = this.topicName(TOPICS[subscription.topic].name);
    // A live subscriber starts at each partition's end as of now: nothing older arrives, and nothing
    // published after subscribe() returns is lost (a new group's "latest" is only read later, on joining).
    // Its place is kept here and sought on every join, before the first fetch: kafkajs restarts a consumer
    // whose first join failed (a broker just started) after run() has returned, and seeking then threw.
    // It commits nothing: its group is its own and never resumed, and each commit is a write to the
    // broker's offsets log for every partition a batch came from.
    const liveNext = subscription.live
      ? new Map((await this.topicOffsets(topicName)).map(({ partition, offset }) => [partition, offset]))
      : null;
    const consumer = await this.startConsumer(subscription.group, topicName, subscription);
    if (liveNext)
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const [partition, offset] of liveNext) consumer.seek({ topic: topicName, partition, offset });
      });
    this.consuming.push({ subscription, groupId: this.groupId(subscription.group), topicName, liveNext });
    this.unobserve ??= consumerLagSources.add(async () => ({ lag: await this.consumerLag() }));
    const coalescer = subscription.handleBatch ? new BatchCoalescer(subscription, this.options.logger) : null;
    await consumer.run({
      // Partitions are consumed side by side; each one's messages (one aggregate's events) stay in order.
      partitionsConsumedConcurrently: TOPICS[subscription.topic].partitions,
      autoCommit: !liveNext,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const resolve = (offset: string) => {
          resolveOffset(offset);
          liveNext?.set(batch.partition, (BigInt(offset) + 1n).toString());
        };
        for (let offset = 0; offset < batch.messages.length; offset += BATCH_CHUNK) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(offset, offset + BATCH_CHUNK);
          const progress = { isRunning, isStale, heartbeat, resolve };
          // Stopped (or the group rebalanced) while the database was away: what was not handled stays unresolved, for the next owner.
          if (!(await this.consumeChunk(subscription, coalescer, chunk, progress))) return;
          const last = chunk.at(-1);
          if (last) resolve(last.offset);
          await heartbeat();
        }
      },
    });
  }

  async subscribeDeadLetters(
    group: string,
    handle: (deadLetter: DeadLetter) => Promise<void>,
  ): Promise<void> {
    await this.connect();
    const consumer = await this.startConsumer(group, this.topicName(DEAD_LETTER_TOPIC.name));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const deadLetter = readDeadLetter(message);
        if (deadLetter) await handle(deadLetter);
        else this.options.logger.error({ offset: message.offset }, 'unreadable dead letter skipped');
      },
    });
  }

  async replay(deadLetter: DeadLetter): Promise<void> {
    await this.connect();
    const headers = Object.fromEntries(
      Object.entries(deadLetter.headers).filter(([name]) => !name.startsWith(DEAD_LETTER_PREFIX)),
    );
    await this.producer.send({
      topic: this.topicName(TOPICS[deadLetter.topic].name),
      acks: -1,
      messages: [
        {
          key: deadLetter.key,
          value: deadLetter.value,
          headers: { ...headers, 'replayed-from': deadLetter.id },
        },
      ],
    });
  }

  async readiness(): Promise<string> {
    // A consumer that has not joined its group yet would leave its partitions unread (a replica beyond
    // the partition count joins with none, which is fine); one stopped (the service is draining) reads
    // nothing again. Once joined, whatever happens to the consumer is health()'s to report, even a crash
    // kafkajs gives up on: its cause (a revoked ACL, a deleted topic) hits every replica at once, queries
    // need no broker, and the outbox keeps events until it is mended (ConsumerLagHigh pages).
    for (const { group, state, joinedOnce } of this.membership.values())
      if (!joinedOnce || state === 'stopped') return `consumer group ${group}: ${state}`;
    return 'ok';
  }

  async health(): Promise<string> {
    // A rebalance alone keeps the last answer; a consumer kafkajs is restarting after a crash is named.
    for (const { group, state } of this.membership.values())
      if (state !== 'joined') return `consumer group ${group}: ${state}`;
    try {
      await this.connect();
      let timer: NodeJS.Timeout | undefined;
      const cluster = await Promise.race([
        this.admin.describeCluster(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer in 2 s')), 2_000);
        }),
      ]).finally(() => clearTimeout(timer));
      return cluster.brokers.length > 0 ? 'ok' : 'no brokers';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  async stopConsuming(): Promise<void> {
    // kafkajs finishes the batch in hand (eachBatch stops between chunks), commits the offsets it
    // resolved, and leaves the group, so the partitions move to another replica without a session timeout.
    await Promise.allSettled(this.consumers.map((consumer) => consumer.disconnect()));
  }

  async close(): Promise<void> {
    this.unobserve?.();
    await this.stopConsuming();
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private async startConsumer(
    group: string,
    topic: string,
    {
      onContinuity = () => undefined,
      background = false,
    }: Pick<Subscription, 'onContinuity' | 'background'> = {},
  ): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId(group),
      allowAutoTopicCreation: false,
      ...(background ? { minBytes: BACKGROUND_MIN_BYTES, maxWaitTimeInMs: BACKGROUND_WINDOW_MS } : {}),
    });
    this.consumers.push(consumer);
    const member = { group, state: 'joining', joinedOnce: false };
    this.membership.set(consumer, member);
    consumer.on(consumer.events.GROUP_JOIN, () => {
      member.state = 'joined';
      member.joinedOnce = true;
      onContinuity(true);
    });
    // Partitions being reassigned: nothing is consumed until the group has joined again.
    consumer.on(consumer.events.REBALANCING, () => onContinuity(false));
    // kafkajs restarts a crashed consumer when it can; until it has rejoined, it reads nothing.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      member.state = payload.restart ? 'restarting after a crash' : 'crashed';
      onContinuity(false);
      if (!payload.restart)
        this.options.logger.error(
          { group },
          'consumer crashed and will not restart: restart the pod once mended',
        );
    });
    consumer.on(consumer.events.STOP, () => {
      member.state = 'stopped';
      onContinuity(false);
    });
    await consumer.connect();
    await whileKafkaSettles(() => consumer.subscribe({ topic, fromBeginning: true }));
    return consumer;
  }

  /**
   * One run of a partition's messages: handed to `handleBatch` together with the runs other partitions
   * fetched at the same time (see BatchCoalescer), or one by one when there is no `handleBatch` or it fails.
   */
  private async consumeChunk(
    subscription: Subscription,
    coalescer: BatchCoalescer | null,
    messages: KafkaMessage[],
    progress: ConsumeProgress,
  ): Promise<boolean> {
    const oneByOne = async (each: KafkaMessage[]) => {
      for (const message of each) {
        if (!(await this.consume(subscription, message, progress))) return false;
        progress.resolve(message.offset);
      }
      return true;
    };
    if (!coalescer) return oneByOne(messages);
    const valid: { event: EventEnvelope; message: KafkaMessage }[] = [];
    for (const message of messages) {
      const event = await this.readOrSetAside(subscription, message);
      if (event) valid.push({ event, message });
    }
    if (valid.length === 0) return true;
    const handled = await coalescer.submit(
      valid.map(({ event }) => event),
      valid.map(({ message }) => headerText(message.headers, 'traceparent')),
    );
    if (handled) countHandled(subscription, 'ok', valid.length);
    return handled || oneByOne(valid.map(({ message }) => message));
  }

  /**
   * Hands one message to the handler, retrying a failing one `maxAttempts` times before setting it aside
   * as a dead letter. A database that cannot be reached is no fault of the event: the handler is retried
   * (up to 5 s apart, heartbeating) for as long as it takes, without using up attempts, so an outage
   * delays events and loses none. Returns false when the consumer stops, or its group rebalances, before
   * that: not handled, left for the partition's next fetch (see mayKeepWaiting).
   */
  private async consume(
    subscription: Subscription,
    message: KafkaMessage,
    progress: ConsumeProgress,
  ): Promise<boolean> {
    const event = await this.readOrSetAside(subscription, message);
    if (!event) return true;
    const traceparent = headerText(message.headers, 'traceparent');
    const topicName = TOPICS[subscription.topic].name;
    // Every attempt, and a dead letter, inside one `process <topic>` span continuing the producer's trace.
    return withCorrelation(event.correlationId, () =>
      inConsumerSpan(topicName, subscription.group, traceparent, () =>
        this.attempt(subscription, event, message, progress),
      ),
    );
  }

  /** The message's envelope, or null once a message that is not one has been set aside. */
  private async readOrSetAside(
    subscription: Subscription,
    message: KafkaMessage,
  ): Promise<EventEnvelope | null> {
    try {
      return parseEnvelope(JSON.parse(message.value?.toString('utf8') ?? ''));
    } catch (error) {
      try {
        subscription.onUnreadable?.();
      } catch (failure) {
        // The message is set aside all the same: a throw here would hold the partition on it for ever.
        this.options.logger.error({ err: failure, group: subscription.group }, 'onUnreadable failed');
      }
      const reason = error instanceof Error ? error.message : String(error);
      await this.setAside(subscription, message, `invalid message: ${reason}`);
      return null;
    }
  }

  private async attempt(
    subscription: Subscription,
    event: EventEnvelope,
    message: KafkaMessage,
    progress: ConsumeProgress,
  ): Promise<boolean> {
    let waits = 0;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await subscription.handle(event);
        countHandled(subscription, 'ok');
        return true;
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          if (!progress.isRunning() || progress.isStale()) return false;
          if (waits++ % 10 === 0)
            this.options.logger.warn(
              { eventId: event.id, type: event.type, group: subscription.group },
              'event handler waits for its database',
            );
          attempt--;
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(5_000, this.retryDelayMs * 2 ** waits)),
          );
          if (!(await mayKeepWaiting(progress))) {
            this.options.logger.warn(
              { eventId: event.id, type: event.type, group: subscription.group },
              'event handler stops waiting for its database: the group rebalances; the event comes again',
            );
            return false;
          }
          continue;
        }
        // A database outage is waited out above; anything else is the handler failing on this event.
        countHandled(subscription, 'failed');
        const reason = error instanceof Error ? error.message : String(error);
        this.options.logger.warn(
          { eventId: event.id, type: event.type, group: subscription.group, attempt, reason },
          'event handler failed',
        );
        if (attempt === this.maxAttempts) {
          await this.setAside(subscription, message, `handler failed ${attempt} times: ${reason}`);
          return true;
        }
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
    return true;
  }

  private groupId(group: string): string {
    return `${this.options.groupPrefix ?? ''}${group}`;
  }

  /**
   * Each group's lag per partition of its topic: the log end offset minus the group's committed offset
   * (a group that has committed nothing yet lags by what the partition retains, or by nothing when it
   * is live: it starts at the end). Read from Kafka's admin API at most every LAG_CACHE_MS.
   */
  private consumerLag(): Promise<Sample<'service' | 'group' | 'topic' | 'partition'>[]> {
    const now = performance.now();
    if (this.lag && now - this.lag.at < LAG_CACHE_MS) return this.lag.samples;
    const samples = (async () => {
      const ends = new Map<string, Promise<{ partition: number; high: string; low: string }[]>>();
      const readings = await Promise.all(
        this.consuming.map(async ({ subscription, groupId, topicName, liveNext }) => {
          // Not tried again while the broker settles: the next scrape asks anyway, sooner than a retry.
          if (!ends.has(topicName)) ends.set(topicName, this.admin.fetchTopicOffsets(topicName));
          const [end, [committed]] = await Promise.all([
            ends.get(topicName),
            liveNext ? [] : this.admin.fetchOffsets({ groupId, topics: [topicName] }),
          ]);
          const labels = consumerLabels(subscription);
          return (end ?? []).map(({ partition, high, low }) => {
            const offset = Number(
              liveNext
                ? (liveNext.get(partition) ?? high)
                : (committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1),
            );
            const lag = offset >= 0 ? Number(high) - offset : Number(high) - Number(low);
            return { labels: { ...labels, partition: String(partition) }, value: Math.max(0, lag) };
          });
        }),
      );
      return readings.flat();
    })();
    // A failed reading is not kept: the next scrape asks again.
    samples.catch(() => (this.lag = null));
    this.lag = { at: now, samples };
    return samples;
  }

  private topicName(name: string): string {
    return `${this.options.topicPrefix ?? ''}${name}`;
  }

  /** Sends the original message, verbatim, to the dead-letter topic with why; the partition moves on. */
  private async setAside(subscription: Subscription, message: KafkaMessage, reason: string): Promise<void> {
    const id = randomUUID();
    await this.producer.send({
      topic: this.topicName(DEAD_LETTER_TOPIC.name),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            [`${DEAD_LETTER_PREFIX}id`]: id,
            [`${DEAD_LETTER_PREFIX}topic`]: subscription.topic,
            [`${DEAD_LETTER_PREFIX}group`]: subscription.group,
            [`${DEAD_LETTER_PREFIX}reason`]: reason.slice(0, 2_000),
            [`${DEAD_LETTER_PREFIX}failed-at`]: new Date().toISOString(),
          },
        },
      ],
    });
    countDeadLetter(subscription);
    this.options.logger.error(
      { deadLetterId: id, group: subscription.group, reason },
      'message set aside as a dead letter',
    );
  }
}

/** What a consumer's batch lends its messages' handling: kafkajs's own. */
interface ConsumeProgress {
  isRunning(): boolean;
  isStale(): boolean;
  heartbeat(): Promise<void>;
  resolve(offset: string): void;
}

/** Tries of an admin step before a broker whose metadata has not settled counts as failing. */
const SETTLING_TRIES = 10;

/**
 * Runs an admin step again while the broker refuses it only for now: a topic just created is not yet
 * known everywhere in a broker (UNKNOWN_TOPIC_OR_PARTITION), or a partition's leader is being elected or
 * moved (LEADER_NOT_AVAILABLE, NOT_LEADER_FOR_PARTITION). kafkajs gives up on these at once in
 * createTopics, fetchTopicOffsets and a consumer's subscribe; each try here reads the metadata afresh (the
 * admin client's has no maximum age).
 * Pauses double from 100 ms to 2 s, about 11 s in all.
 */
export async function whileKafkaSettles<T>(
  step: () => Promise<T>,
  pause: (ms: number) => Promise<unknown> = sleep,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      // createTopics reports its topics' refusals together (a timeout, no controller yet), some perhaps
      // only that the topic exists.
      const refusals = error instanceof KafkaJSAggregateError ? error.errors : [error];
      const settling =
        refusals.some(isSettling) &&
        refusals.every((refusal) => isSettling(refusal) || isAlreadyThere(refusal));
      if (!settling || attempt >= SETTLING_TRIES) throw error;
      await pause(Math.min(2_000, 100 * 2 ** (attempt - 1)));
    }
  }
}

const isSettling = (refusal: unknown) => refusal instanceof KafkaJSProtocolError && refusal.retriable;
const isAlreadyThere = (refusal: unknown) =>
  refusal instanceof KafkaJSProtocolError && refusal.type === 'TOPIC_ALREADY_EXISTS';

/**
 * Whether a handler waiting for its database may keep its batch for another round. Not once the consumer
 * stops, the batch went stale, or the heartbeat fails: kafkajs's heartbeat throws while the group
 * rebalances (or after this member's session ended), and the member rejoins only once eachBatch returns,
 * so waiting on would stall the whole group for as long as the database is away. The event is left
 * unresolved: it comes again (here or to the partition's next owner) and the inbox skips it if handled.
 */
export async function mayKeepWaiting(
  progress: Pick<ConsumeProgress, 'isRunning' | 'isStale' | 'heartbeat'>,
): Promise<boolean> {
  if (!progress.isRunning() || progress.isStale()) return false;
  try {
    await progress.heartbeat();
  } catch {
    // A broker that briefly fails to answer also lands here: the event is fetched again, no harm done.
    return false;
  }
  return progress.isRunning() && !progress.isStale();
}

/** Most events in one coalesced `handleBatch` call: six partitions' chunks of 200 fit in one or two. */
const COALESCED_MAX = 1_000;

/**
 * Joins the runs that partitions consumed side by side hand over in the same tick (and any that arrive
 * while a call is in flight) into one `handleBatch` call: one transaction, one commit, instead of one per
 * partition. Each partition's run stays in order and a partition's next run waits for this one, so one
 * aggregate's events keep their order. Settles false when the joined call failed (or held a single event):
 * each partition then handles its own run one by one, with retries and dead letters.
 */
class BatchCoalescer {
  private readonly waiting: {
    events: EventEnvelope[];
    traceparents: (string | undefined)[];
    settle: (handled: boolean) => void;
  }[] = [];
  private flushing = false;

  constructor(
    private readonly subscription: Subscription,
    private readonly logger: Logger,
  ) {}

  submit(events: EventEnvelope[], traceparents: (string | undefined)[]): Promise<boolean> {
    return new Promise((settle) => {
      this.waiting.push({ events, traceparents, settle });
      if (this.flushing) return;
      this.flushing = true;
      // Next tick: kafkajs starts every fetched partition's batch in this one, so they all get in.
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const handleBatch = this.subscription.handleBatch;
    while (this.waiting.length > 0) {
      const runs: typeof this.waiting = [];
      let size = 0;
      for (let next = this.waiting[0]; next; next = this.waiting[0]) {
        if (runs.length > 0 && size + next.events.length > COALESCED_MAX) break;
        size += next.events.length;
        runs.push(next);
        this.waiting.shift();
      }
      const events = runs.flatMap((run) => run.events);
      const handled =
        handleBatch !== undefined &&
        events.length > 1 &&
        (await inBatchConsumerSpan(
          TOPICS[this.subscription.topic].name,
          this.subscription.group,
          runs.flatMap((run) => run.traceparents),
          () => handleBatch(events),
        ).then(
          () => true,
          (error: unknown) => {
            this.logger.warn(
              { err: error, group: this.subscription.group, events: events.length },
              'batch failed; one by one',
            );
            return false;
          },
        ));
      for (const run of runs) run.settle(handled);
    }
    this.flushing = false;
  }
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

function readDeadLetter(message: KafkaMessage): DeadLetter | null {
  const get = (name: string) => headerText(message.headers, `${DEAD_LETTER_PREFIX}${name}`);
  const id = get('id');
  const topicName = get('topic');
  const topic = topicName && Object.hasOwn(TOPICS, topicName) ? (topicName as TopicKey) : undefined;
  const group = get('group');
  if (!id || !topic || !group) return null;
  const headers = Object.fromEntries(
    Object.keys(message.headers ?? {}).flatMap((name) => {
      const value = headerText(message.headers, name);
      return value === undefined ? [] : [[name, value]];
    }),
  );
  return {
    id,
    topic,
    group,
    reason: get('reason') ?? 'unknown',
    failedAt: get('failed-at') ?? new Date(Number(message.timestamp)).toISOString(),
    key: message.key?.toString('utf8') ?? null,
    headers,
    value: message.value?.toString('utf8') ?? '',
  };
}
