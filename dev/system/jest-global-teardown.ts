import { deleteTopicsWhere, isPrefixedStream, type BrokerUse } from '@clinic/testing/infra';

/** Where the global setup leaves what the cleanup needs (jest shares the global between the two). */
export const CLEANUP = Symbol.for('clinic.test-topics-cleanup');

/** Whether a topic is one a test made since `before` was listed: a prefixed stream not among them. */
export const madeSince =
  (before: ReadonlySet<string>) =>
  (topic: string): boolean =>
    isPrefixedStream(topic) && !before.has(topic);

/**
 * Deletes the topics made during this run on the broker the global setup brought up, so a developer's
 * broker does not gather thousands of them over runs (and answer the gateway's readiness checks too
 * slowly). Only prefixed streams that were not there before go, and only when no other test run or
 * bench that said it uses the broker (`useBroker`) is still running: the last to end deletes them.
 * Never fails the run: a topic left behind costs only space.
 */
export default async function globalTeardown(): Promise<void> {
  const cleanup = (globalThis as Record<symbol, unknown>)[CLEANUP] as
    { before: ReadonlySet<string>; use: BrokerUse } | undefined;
  const brokers = process.env['TEST_KAFKA_BROKERS'];
  if (!cleanup || !brokers) return;
  const others = cleanup.use.others();
  cleanup.use.release();
  if (others > 0) {
    console.log(`test topics: left in place, ${others} other run(s) still using the broker`);
    return;
  }
  try {
    const deleted = await deleteTopicsWhere(brokers, madeSince(cleanup.before));
    console.log(`test topics: deleted the ${deleted} made during this run`);
  } catch (error) {
    console.log(`test topics: left in place (${error instanceof Error ? error.message : String(error)})`);
  }
}
