import { Kafka, logLevel } from 'kafkajs';
import { topicManifest } from '@clinic/contracts';

/**
 * Topics that tests and benches make on the development broker. Each run puts its streams under a fresh
 * prefix so it reads only its own events, and nothing deleted them: a broker that had gathered 3,877
 * topics over many runs took 794 ms to describe its cluster, past the gateway's readiness checks.
 */

/** Whether `name` is one of the manifest's streams under a prefix: a topic a test or bench made. */
export function isPrefixedStream(name: string): boolean {
  return topicManifest().some(({ name: stream }) => name.length > stream.length && name.endsWith(stream));
}

const admin = (brokers: string) =>
  new Kafka({ brokers: [brokers], clientId: 'test-topics', logLevel: logLevel.NOTHING }).admin();

/** The topics on `brokers` now. */
export async function topicsOn(brokers: string): Promise<string[]> {
  const client = admin(brokers);
  await client.connect();
  try {
    return await client.listTopics();
  } finally {
    await client.disconnect();
  }
}

/** Deletes the topics on `brokers` that `doomed` names, a hundred a request; how many there were. */
export async function deleteTopicsWhere(
  brokers: string,
  doomed: (topic: string) => boolean,
): Promise<number> {
  const client = admin(brokers);
  await client.connect();
  try {
    const topics = (await client.listTopics()).filter(doomed);
    for (let start = 0; start < topics.length; start += 100)
      await client.deleteTopics({ topics: topics.slice(start, start + 100), timeout: 60_000 });
    return topics.length;
  } finally {
    await client.disconnect();
  }
}
