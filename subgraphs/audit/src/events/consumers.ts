import type { EventBus } from '@clinic/platform';
import type { AuditDatabase } from '../database';
import { recordDeadLetter } from '../dead-letters/record-dead-letter';
import { AUDIT_CONSUMER, recordEvent, recordEvents } from '../trail/record-event';

/**
 * Every event this service consumes, subscribed here and nowhere else; the handlers stay with the trail
 * and the dead letters. The bus has no unsubscribe: the subscriptions end when its owner closes it, so
 * `stop` has nothing of its own to end here. (Audit keeps no outbox, so it has no events/relay.ts.)
 */
export async function startAuditConsumers(
  db: AuditDatabase,
  bus: EventBus,
): Promise<{ stop(): Promise<void> }> {
  // One consumer group per topic (kafkajs assigns a group's partitions as if every member read every
  // topic); one inbox for all, event ids being unique. All append to the one chain, under its lock.
  for (const [topic, group] of [
    ['appointments', AUDIT_CONSUMER],
    ['doctors', `${AUDIT_CONSUMER}-doctors`],
    ['patients', `${AUDIT_CONSUMER}-patients`],
    ['audit', `${AUDIT_CONSUMER}-records`],
  ] as const) {
    await bus.subscribe({
      topic,
      group,
      background: true,
      handle: (event) => recordEvent(db, event),
      handleBatch: (events) => recordEvents(db, events),
    });
  }
  await bus.subscribeDeadLetters('audit-dead-letters', (deadLetter) => recordDeadLetter(db, deadLetter));
  return { stop: async () => undefined };
}
