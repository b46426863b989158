import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { useBroker } from '@clinic/testing/infra';

/**
 * `npm run bench`: every dev/bench/*.bench.ts, one after another (each measures against its own
 * baseline, side by side, so they must not run at once). `npm run bench -- hostile slot` runs only the
 * files whose names contain one of the words.
 */
const filters = process.argv.slice(2);
const benches = readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)))
  .sort();
const failed: string[] = [];
// The benches' topics stay while they run: a test run ending meanwhile leaves them alone.
const broker = useBroker();
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, file)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed.push(file);
}
broker.release();
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
