import { deleteTopicsWhere } from '@clinic/testing/infra';

/**
 * Deletes the topics a bench created under its own prefix. Every run uses a fresh prefix so it reads only
 * its own events, and a broker left holding hundreds of such partitions answered slower: three event
 * benches after eight subscription benches measured a p99 of 102-118 ms instead of 39-74.
 */
export async function deleteBenchTopics(brokers: string, prefix: string): Promise<void> {
  if (!prefix) throw new Error('a bench deletes only topics under its own prefix, and none was given');
  await deleteTopicsWhere(brokers, (topic) => topic.startsWith(prefix));
}
