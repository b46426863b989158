import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lastOutputLine, runsAsRoot } from './exec';
import { APT_OPTIONS, runRetrying } from './retry';
import { InfraError, repoRoot } from './state';

/** Where Debian's chromium package puts the browser the console's end-to-end test drives. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Makes sure headless Chromium is installed, as PostgreSQL is: Debian's `chromium` with apt-get when
 * missing (root only). playwright-core then drives it; it downloads no browser of its own.
 */
export async function ensureChromium(log: (line: string) => void = () => undefined): Promise<string> {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (!runsAsRoot())
    throw new InfraError('Chromium is not installed and only root can install it: apt-get install chromium');
  log('chromium: installing the Debian package chromium with apt-get …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const logDir = fs.existsSync(path.join(repoRoot, '.data')) ? path.join(repoRoot, '.data') : os.tmpdir();
  const logFile = path.join(logDir, 'chromium-apt.log');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const result = await runRetrying(
      'apt-get',
      [...APT_OPTIONS, ...args],
      { env, logFile },
      {
        what: `chromium: apt-get ${args[0]}`,
        log,
      },
    );
    if (result.code !== 0) {
      throw new InfraError(
        `apt-get ${args[0]} failed ${result.attempts} times: ${lastOutputLine(result.output)} (see ${logFile})`,
      );
    }
  }
  if (!fs.existsSync(CHROMIUM_PATH))
    throw new InfraError(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
  return CHROMIUM_PATH;
}
