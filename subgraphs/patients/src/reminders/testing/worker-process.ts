/**
 * A reminder worker in a process of its own, for the kill -9 test (reminder-worker-kill.int.test.ts):
 * argv[2] the patients database URL, argv[3] the fake clock's instant. It runs small passes until killed.
 */
import pino from 'pino';
import { connectPatientsDatabase } from '../../database';
import { ReminderWorker } from '../reminder-worker';

async function main(): Promise<void> {
  const [, , url, now] = process.argv;
  if (!url || !now) throw new Error('usage: worker-process <database url> <instant>');
  const db = connectPatientsDatabase(url);
  const worker = new ReminderWorker({
    db,
    logger: pino({ level: 'silent' }),
    clock: () => new Date(now),
    batchSize: 3,
  });
  for (;;) {
    if ((await worker.runOnce()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

void main();
