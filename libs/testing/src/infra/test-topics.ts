import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { topicManifest } from '@clinic/contracts';
import { resolveConfig } from './state';

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

/** A process that uses the development broker, as long as it has not released it. */
export interface BrokerUse {
  /** How many other processes that said so are still running (a run cleans up only when alone). */
  others(): number;
  release(): void;
}

/**
 * Says that this process uses the development broker (a file named by its pid in `dir`), so that a test
 * run ending meanwhile does not delete topics still in use. A file whose process has gone is removed.
 */
export function useBroker(dir = path.join(resolveConfig().dataDir, 'broker-users')): BrokerUse {
  mkdirSync(dir, { recursive: true });
  const own = path.join(dir, String(process.pid));
  writeFileSync(own, '');
  return {
    others: () =>
      readdirSync(dir).filter((name) => {
        const pid = Number(name);
        if (pid === process.pid) return false;
        if (Number.isInteger(pid) && pid > 0 && running(pid)) return true;
        rmSync(path.join(dir, name), { force: true });
        return false;
      }).length,
    release: () => rmSync(own, { force: true }),
  };
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}
