import type { DeadLetter } from '@clinic/platform';
import type { AuditDatabase } from '../database';

/** Keeps a dead letter for inspection; the dead-letter topic may deliver it twice, the row stays one. */
export async function recordDeadLetter(db: AuditDatabase, deadLetter: DeadLetter): Promise<void> {
  await db.deadLetter.createMany({
    data: [
      {
        id: deadLetter.id,
        topic: deadLetter.topic,
        consumerGroup: deadLetter.group,
        reason: deadLetter.reason,
        failedAt: new Date(deadLetter.failedAt),
        messageKey: deadLetter.key,
        headers: deadLetter.headers,
        message: deadLetter.value,
      },
    ],
    skipDuplicates: true,
  });
}
