import type { EventEnvelope } from './envelope';
import type { TopicKey } from './topics';

export type EventHandler = (event: EventEnvelope) => Promise<void>;

export interface Subscription {
  topic: TopicKey;
  /** Consumers in one group share the stream; every group receives every event. */
  group: string;
  handle: EventHandler;
}

/**
 * How services exchange events. Delivery is at least once and in order per aggregate, so handlers
 * must be idempotent. Two implementations: in-process (embedded default) and Kafka (real deployments).
 */
export interface EventBus {
  publish(topic: TopicKey, events: readonly EventEnvelope[]): Promise<void>;
  subscribe(subscription: Subscription): Promise<void>;
  close(): Promise<void>;
}
