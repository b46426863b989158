import { parseArgs } from 'node:util';
import { verifyChain } from '@clinic/audit-subgraph';
import { openCliTarget } from './audit-target';

const usage = `Usage: npm run audit:verify -- [--from <sequence>] [--no-checkpoints]

Recomputes the audit trail's hash chain and names the first altered, deleted or inserted entry; also
checks the exported checkpoints (a cut tail). Exit code 0 when intact, 1 when broken, 2 on error.
Database: DATABASE_URL_AUDIT, else the embedded one (running npm start, or the DATA_DIR folder).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      'no-checkpoints': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return (console.log(usage), 0);
  if (values.from !== undefined && !/^[1-9]\d{0,18}$/.test(values.from)) {
    console.error('--from must be an entry sequence, e.g. 1');
    return 2;
  }
  const target = await openCliTarget();
  try {
    const checkpoints = values['no-checkpoints'] ? [] : await target.sink.readAll();
    console.log(`verifying the audit chain in ${target.where} (${checkpoints.length} checkpoints)`);
    const result = await verifyChain(target.db, {
      from: values.from === undefined ? undefined : BigInt(values.from),
      checkpoints,
      onProgress: (rows, last) => console.log(`  ${rows} entries verified (up to ${last})`),
    });
    const bad = result.firstBadRow;
    if (!bad) {
      console.log(
        `intact: ${result.checkedRows} entries, ${result.checkpointsChecked} checkpoints; head ` +
          (result.head ? `${result.head.sequence} ${result.head.hash}` : 'none (empty log)'),
      );
      return 0;
    }
    console.log(
      `BROKEN at entry ${bad.sequence}${bad.id ? ` (id ${bad.id})` : ''}, ${bad.problem}: ${bad.detail}. ` +
        `${result.checkedRows} entries before it verified.`,
    );
    return 1;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
