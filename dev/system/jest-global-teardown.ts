import { deleteTopicsWhere, isPrefixedStream } from '@clinic/testing/infra';

/** Where the global setup leaves the topics our own broker had before the run (jest shares the global). */
export const TOPICS_BEFORE = Symbol.for('clinic.test-topics-before');

/**
 * Deletes the topics this run made on the broker the global setup brought up, so a developer's broker
 * does not gather thousands of them over runs (and answer the gateway's readiness checks too slowly).
 * Only prefixed streams that were not there before go; a broker someone else named is left alone.
 * Never fails the run: a topic left behind costs only space.
 */
/** Whether a topic is one a test made since `before` was listed: a prefixed stream not among them. */
export const madeSince =
  (before: ReadonlySet<string>) =>
  (topic: string): boolean =>
    isPrefixedStream(topic) && !before.has(topic);

export default async function globalTeardown(): Promise<void> {
  const before = (globalThis as Record<symbol, unknown>)[TOPICS_BEFORE];
  const brokers = process.env['TEST_KAFKA_BROKERS'];
  if (!(before instanceof Set) || !brokers) return;
  try {
    const deleted = await deleteTopicsWhere(brokers, madeSince(before as ReadonlySet<string>));
    console.log(`test topics: deleted the ${deleted} this run made`);
  } catch (error) {
    console.log(`test topics: left in place (${error instanceof Error ? error.message : String(error)})`);
  }
}
