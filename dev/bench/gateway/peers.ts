import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The gateways the bench compares ours with are bench-only packages (peers/package.json, pinned, with its
 * own lockfile), installed on demand into peers/node_modules (gitignored), never the product's.
 */
// BENCH_PEERS_DIR: set for the bundled peer gateways, which no longer sit beside this file.
export const PEERS_DIR = process.env['BENCH_PEERS_DIR'] ?? path.join(__dirname, 'peers');

/** `require` from the peers' own node_modules (not the repository's, which may hold other versions). */
export function requirePeer(name: string): unknown {
  return createRequire(path.join(PEERS_DIR, 'package.json'))(name);
}

const run = promisify(execFile);

/**
 * Installs the peers unless those of the committed lockfile are there (a stamp of its hash, written after
 * an install); a registry may drop a connection, so 3 tries with backoff.
 */
export async function installPeers(log: (line: string) => void): Promise<void> {
  const lockfile = path.join(PEERS_DIR, 'package-lock.json');
  const stamp = path.join(PEERS_DIR, 'node_modules', '.bench-lockfile-sha256');
  const wanted = existsSync(lockfile)
    ? createHash('sha256').update(readFileSync(lockfile)).digest('hex')
    : '';
  if (wanted && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  const command = wanted ? 'ci' : 'install';
  for (let attempt = 1; ; attempt++) {
    log(
      `installing the peer gateways (npm ${command} in ${path.relative(process.cwd(), PEERS_DIR)}), try ${attempt} of 3…`,
    );
    try {
      await run('npm', [command, '--no-audit', '--no-fund'], { cwd: PEERS_DIR, maxBuffer: 64 * 1024 * 1024 });
      writeFileSync(stamp, createHash('sha256').update(readFileSync(lockfile)).digest('hex'));
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      log(`npm ${command} failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 5000 * 2 ** (attempt - 1)));
    }
  }
}

/**
 * Whether Hive's Rust query planner runs here: @graphql-hive/router-runtime loads a native addon that its
 * npm package ships for linux-x64/arm64 (glibc) and macOS, with nothing downloaded at install. Null when it
 * runs, else why not.
 */
export function rustPlannerUnavailable(): string | null {
  try {
    requirePeer('@graphql-hive/router-query-planner');
    requirePeer('@graphql-hive/router-runtime');
    return null;
  } catch (error) {
    return `@graphql-hive/router-runtime does not load here (${process.platform}-${process.arch}): ${
      error instanceof Error ? error.message.split('\n')[0] : String(error)
    }`;
  }
}

/** A variable the bench sets for a peer gateway's process; the process cannot run without it. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
