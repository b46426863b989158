import type { EventEnvelope, TopicKey } from '@clinic/contracts';
import { currentTraceparent } from '../telemetry/event-spans';

export type EventHandler = (event: EventEnvelope) => Promise<void>;

export interface Subscription {
  topic: TopicKey;
  /** Consumers in one group share the stream; every group receives every event. */
  group: string;
  handle: EventHandler;
  /**
   * Optional: handles a run of events (in order, from one partition) at once, e.g. in one transaction.
   * If it throws, the events are handed to `handle` one by one, with its retries and dead letters.
   */
  handleBatch?: (events: EventEnvelope[]) => Promise<void>;
  /**
   * Only events published after `subscribe` resolves, never older ones (live fan-out, e.g. the gateway's
   * subscriptions). Use a group of one's own: a live group's position is not meant to be resumed.
   */
  live?: boolean;
  /**
   * Nobody waits on this consumer (the audit log, notifications): on Kafka, the broker may hold each of
   * its fetches for up to half a second to gather more events, so a burst arrives as a few large batches
   * (a transaction and a commit each) instead of one per event. It costs that much delay, and a fetch
   * every half second while idle. The in-process bus delivers at once either way.
   */
  background?: boolean;
  /**
   * Told false when events may arrive late or out of sight of this consumer (it crashed, stopped or is
   * rejoining its group), and true once it consumes again. Whoever keeps state derived from the stream
   * (the gateway's response cache) drops it on false and trusts the stream again only on true.
   */
  onContinuity?: (continuous: boolean) => void;
  /**
   * Told of a message this consumer cannot read (an event type or payload of a newer service, in a rolling
   * deploy) before it is set aside: whoever keeps state derived from the stream cannot tell what it changed.
   */
  onUnreadable?: () => void;
}

/** A message a consumer group gave up on, kept verbatim with why, so it can be inspected and replayed. */
export interface DeadLetter {
  id: string;
  topic: TopicKey;
  group: string;
  reason: string;
  failedAt: string;
  key: string | null;
  headers: Record<string, string>;
  /** The original message body, exactly as it arrived (it may not even be JSON). */
  value: string;
}

/**
 * How services exchange events. Delivery is at least once and in order per aggregate, so handlers
 * must be idempotent (see `handleOnce`). Two implementations pass one contract suite: in-process
 * (embedded default) and Kafka (real deployments).
 */
export interface EventBus {
  /**
   * Sends the events in order. Each message carries the active trace context, or, when `traceparents`
   * is given, its own entry (null: none), for events published outside the trace they belong to.
   */
  publish(
    topic: TopicKey,
    events: readonly EventEnvelope[],
    traceparents?: readonly (string | null)[],
  ): Promise<void>;
  subscribe(subscription: Subscription): Promise<void>;
  subscribeDeadLetters(group: string, handle: (deadLetter: DeadLetter) => Promise<void>): Promise<void>;
  /** Puts a dead letter's original message back on its topic; idempotent consumers skip what they handled. */
  replay(deadLetter: DeadLetter): Promise<void>;
  /**
   * "ok", or why the service cannot consume yet (a check on /readyz, which answers 503 without it): a
   * consumer has not joined its group and received its partitions yet, or was stopped (draining).
   */
  readiness(): Promise<string>;
  /**
   * "ok", or why the bus cannot deliver now: the broker does not answer, or a consumer is out of its group.
   * A dependency on /readyz, reported but never making it 503: a broker blip must not take every replica
   * out of the load balancer at once.
   */
  health(): Promise<string>;
  /**
   * Stops consuming, keeping the producer: each consumer finishes the events in hand, commits what it
   * handled and leaves its group (its partitions move to the other replicas at once). A stopping service
   * calls it before closing its database; its outbox relay can still publish afterwards.
   */
  stopConsuming(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Headers every message carries, on Kafka and in process alike: its ids, its correlation id, and the W3C
 * `traceparent` of the trace it belongs to: by default the active one (the relay's `publish` span).
 */
export function eventHeaders(
  event: EventEnvelope,
  traceparent: string | null = currentTraceparent(),
): Record<string, string> {
  return {
    'event-id': event.id,
    'event-type': event.type,
    'correlation-id': event.correlationId,
    ...(traceparent ? { traceparent } : {}),
  };
}
