import { SUBGRAPH_NAMES } from '@clinic/contracts';
import type { Subscription } from '../events/event-bus';
import { metrics, type ServiceLabel } from './catalogue';

const SERVICES: readonly ServiceLabel[] = ['gateway', ...SUBGRAPH_NAMES];

/**
 * The labels of a consumer's series. Groups are named after their service (`appointments-freed-times`,
 * `audit`), which is how one bus shared by every service in the all-in-one process labels each one's.
 * A live group (the gateway's fan-out) is named per process, so it is labelled `gateway-live`.
 */
export function consumerLabels(subscription: Pick<Subscription, 'group' | 'topic' | 'live'>): {
  service: string;
  group: string;
  topic: string;
} {
  const { group } = subscription;
  const service = SERVICES.find((name) => group === name || group.startsWith(`${name}-`)) ?? 'unknown';
  return { service, group: subscription.live ? 'gateway-live' : group, topic: subscription.topic };
}

/** Counts events a consumer handled (`count` of them at once for a batch). */
export function countHandled(
  subscription: Pick<Subscription, 'group' | 'topic' | 'live'>,
  outcome: 'ok' | 'failed',
  count = 1,
): void {
  if (count > 0) metrics.eventsHandled.inc({ ...consumerLabels(subscription), outcome }, count);
}

/** Counts a dead letter, and marks when the newest one was set aside. */
export function countDeadLetter(subscription: Pick<Subscription, 'group' | 'topic' | 'live'>): void {
  const labels = consumerLabels(subscription);
  metrics.deadLetters.inc(labels);
  metrics.deadLetterLast.set(labels, Date.now() / 1000);
}
