import { parseArgs } from 'node:util';
import { exportCheckpoint } from '@clinic/audit-subgraph';
import { openCliTarget } from './audit-target';

const usage = `Usage: npm run audit:checkpoint

Appends the audit chain's head {sequence, hash, at} to the checkpoint file (AUDIT_CHECKPOINT_FILE, default
<DATA_DIR>/audit-checkpoints.jsonl). Keep copies where the audit database's owner cannot write.`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', default: false } }, strict: true });
  if (values.help) return (console.log(usage), 0);
  const target = await openCliTarget();
  try {
    const checkpoint = await exportCheckpoint(target.db, target.sink);
    console.log(
      checkpoint
        ? `checkpoint ${checkpoint.sequence} ${checkpoint.hash} written to ${target.sink.file}`
        : 'the audit log is empty: nothing to checkpoint',
    );
    return 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit:checkpoint failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
