import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { withCorrelation } from '../logging/request-context';
import { parseEnvelope, TOPICS, type EventEnvelope, type TopicKey } from '@clinic/contracts';
import { currentTraceparent, inBatchConsumerSpan, inConsumerSpan } from '../telemetry/event-spans';
import { eventHeaders, type DeadLetter, type EventBus, type Subscription } from './event-bus';
import { consumerLagSources } from '../metrics/catalogue';
import { consumerLabels, countDeadLetter, countHandled } from '../metrics/messaging';

/** Most events handed to one `handleBatch` call. */
const BATCH_CHUNK = 200;

/** An event as a message: with the trace context it was published in, as a Kafka header would carry it. */
interface Delivery {
  event: EventEnvelope;
  traceparent: string | null;
}

interface GroupQueue {
  subscription: Subscription;
  pending: Delivery[];
  running: Promise<void> | null;
}

export interface InProcessBusOptions {
  logger: Logger;
  /** Attempts per event before it is set aside as a dead letter. */
  maxAttempts?: number;
  retryDelayMs?: number;
}

/**
 * The embedded default's bus: one process, one queue per consumer group, delivered in publish order.
 * Envelopes are validated on the way in and on the way out, as they are on Kafka, and a handler that
 * keeps failing does not block the events behind it: the event becomes a dead letter.
 */
export class InProcessEventBus implements EventBus {
  private readonly groups = new Map<TopicKey, GroupQueue[]>();
  private readonly deadLetterHandlers = new Map<string, (deadLetter: DeadLetter) => Promise<void>>();
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private closed = false;
  private unobserve: (() => void) | null = null;
  readonly deadLetters: DeadLetter[] = [];

  constructor(private readonly options: InProcessBusOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 50;
  }

  async publish(
    topic: TopicKey,
    events: readonly EventEnvelope[],
    traceparents?: readonly (string | null)[],
  ): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
    // No JSON deep copy first: the zod parse already builds new objects and arrays, so later changes to
    // the publisher's objects cannot reach a consumer (and the copy cost CPU per event).
    const current = currentTraceparent();
    const valid = events.map((event, index) => ({
      event: parseEnvelope(event),
      traceparent: traceparents ? (traceparents[index] ?? null) : current,
    }));
    for (const queue of this.groups.get(topic) ?? []) {
      queue.pending.push(...valid);
      this.drain(queue);
    }
  }

  async subscribe(subscription: Subscription): Promise<void> {
    // Nothing is retained here, so every subscription, `live` or not, sees only events published after it.
    const queues = this.groups.get(subscription.topic) ?? [];
    if (queues.some((queue) => queue.subscription.group === subscription.group)) {
      throw new Error(`group ${subscription.group} already consumes ${subscription.topic} in this process`);
    }
    queues.push({ subscription, pending: [], running: null });
    this.groups.set(subscription.topic, queues);
    // One process: from here on, every event published reaches this queue.
    subscription.onContinuity?.(true);
    // Lag here is what a group's queue holds: one partition, "0".
    this.unobserve ??= consumerLagSources.add(async () => ({
      lag: [...this.groups.values()].flat().map((queue) => ({
        labels: { ...consumerLabels(queue.subscription), partition: '0' },
        value: queue.pending.length,
      })),
    }));
  }

  async subscribeDeadLetters(
    group: string,
    handle: (deadLetter: DeadLetter) => Promise<void>,
  ): Promise<void> {
    this.deadLetterHandlers.set(group, handle);
  }

  async replay(deadLetter: DeadLetter): Promise<void> {
    await this.publish(deadLetter.topic, [parseEnvelope(JSON.parse(deadLetter.value))]);
  }

  /** Nothing to join in one process. */
  async readiness(): Promise<string> {
    return this.closed ? 'closed' : 'ok';
  }

  async health(): Promise<string> {
    return this.closed ? 'closed' : 'ok';
  }

  /** Resolves once every event published so far has been handled or dead-lettered. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.groups.values()]
        .flat()
        .flatMap((queue) => (queue.running ? [queue.running] : []));
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Nothing to commit or leave in one process: waits for the events in hand. */
  async stopConsuming(): Promise<void> {
    await this.idle();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unobserve?.();
    await this.idle();
  }

  private drain(queue: GroupQueue): void {
    if (queue.running) return;
    queue.running = (async () => {
      // Hand over on a later tick, as a broker would: the publisher's transaction is long done.
      await new Promise((resolve) => setImmediate(resolve));
      const { subscription } = queue;
      const topicName = TOPICS[subscription.topic].name;
      while (queue.pending.length > 0) {
        const { handleBatch } = subscription;
        const run = queue.pending.splice(0, handleBatch ? BATCH_CHUNK : 1);
        if (handleBatch && run.length > 1) {
          const handled = await inBatchConsumerSpan(
            topicName,
            subscription.group,
            run.map((delivery) => delivery.traceparent),
            () => handleBatch(run.map((delivery) => delivery.event)),
          ).then(
            () => true,
            () => false, // handled one by one below, with retries and dead letters
          );
          if (handled) {
            countHandled(queue.subscription, 'ok', run.length);
            continue;
          }
        }
        for (const delivery of run) {
          // The event's correlation id covers the handler and every retry and dead-letter log line, and
          // one `process <topic>` span continuing the publisher's trace covers them all too.
          await withCorrelation(delivery.event.correlationId, () =>
            inConsumerSpan(topicName, subscription.group, delivery.traceparent, () =>
              this.deliver(subscription, delivery),
            ),
          );
        }
      }
      queue.running = null;
    })();
  }

  private async deliver(subscription: Subscription, { event, traceparent }: Delivery): Promise<void> {
    const log = this.options.logger;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await subscription.handle(event);
        countHandled(subscription, 'ok');
        return;
      } catch (error) {
        countHandled(subscription, 'failed');
        const reason = error instanceof Error ? error.message : String(error);
        log.warn(
          { eventId: event.id, type: event.type, group: subscription.group, attempt, reason },
          'event handler failed',
        );
        if (attempt === this.maxAttempts) {
          await this.setAside(subscription, event, traceparent, `handler failed ${attempt} times: ${reason}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  private async setAside(
    subscription: Subscription,
    event: EventEnvelope,
    traceparent: string | null,
    reason: string,
  ): Promise<void> {
    // The headers the message was published with, as Kafka keeps them: the publisher's traceparent.
    const { traceparent: _consumer, ...headers } = eventHeaders(event);
    const deadLetter: DeadLetter = {
      id: randomUUID(),
      topic: subscription.topic,
      group: subscription.group,
      reason,
      failedAt: new Date().toISOString(),
      key: event.aggregateId,
      headers: { ...headers, ...(traceparent ? { traceparent } : {}) },
      value: JSON.stringify(event),
    };
    this.deadLetters.push(deadLetter);
    countDeadLetter(subscription);
    this.options.logger.error(
      { eventId: event.id, group: subscription.group, reason },
      'event set aside as a dead letter',
    );
    for (const handle of this.deadLetterHandlers.values()) {
      await handle(deadLetter).catch((error: unknown) =>
        this.options.logger.error({ err: error, deadLetterId: deadLetter.id }, 'dead letter not recorded'),
      );
    }
  }
}
