import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { eventually } from '../eventually';
import { deleteTopicsWhere, topicsOn } from './test-topics';

const brokers = process.env['TEST_KAFKA_BROKERS'] ?? '';

describe('deleteTopicsWhere on a real broker', () => {
  it('deletes the topics it is told, more than a request holds, and leaves the others', async () => {
    const run = randomUUID();
    const doomed = Array.from({ length: 105 }, (_, i) => `gone-${run}-${i}-clinic.doctors.v1`);
    const kept = `kept-${run}-clinic.doctors.v1`;
    const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [...doomed, kept].map((topic) => ({ topic, numPartitions: 1 })),
        waitForLeaders: true,
        timeout: 60_000, // leaders for 106 topics, on a busy machine
      });
      const deleted = await deleteTopicsWhere(brokers, (topic) => topic.startsWith(`gone-${run}-`));
      expect(deleted).toBe(105);
      // The broker deletes in the background: the topics leave its listing soon after.
      const left = await eventually(async () => {
        const ours = (await topicsOn(brokers)).filter((topic) => topic.includes(run));
        return ours.length <= 1 ? ours : undefined;
      });
      expect(left).toEqual([kept]);
    } finally {
      await admin.deleteTopics({ topics: [kept] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
