/**
 * `npx tsx dev/node24/node24-cli.ts` prints the path of the pinned Node 24 binary, fetching and verifying
 * it from the npm registry on first use (dev/node24/node24.ts).
 *
 * `npx tsx dev/node24/node24-cli.ts exec <script> [args…]` runs a script on that binary, with its
 * directory first on PATH so that the `node` and `npx` the script starts are Node 24 as well.
 * `npm run test:node24` runs the jest suite this way. Progress goes to stderr.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

import { ensureNode, Node24Error } from './node24';

const USAGE =
  'usage: node24-cli.ts [path] | exec <script> [args…]\n  env: NODE24_CACHE_DIR (default ~/.cache/clinic-node)';

function runOn(binary: string, args: string[]): Promise<number> {
  const env = { ...process.env, PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH ?? ''}` };
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const [command = 'path', ...rest] = argv;
  if (command === 'path' && rest.length === 0) {
    console.log(await ensureNode({ log: (line) => console.error(line) }));
    return 0;
  }
  if (command === 'exec' && rest.length > 0) {
    const binary = await ensureNode({ log: (line) => console.error(line) });
    return runOn(binary, rest);
  }
  throw new Node24Error(USAGE);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Node24Error ? `node24: ${error.message}` : error);
    process.exit(1);
  },
);
