import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
  InfraError,
  pidAlive,
  processCommandLine,
  readState,
  seconds,
  sleep,
  updateState,
  type InfraConfig,
  type InfraState,
} from './state';

/**
 * The processes infra spawns itself, detached, and records in the state file: Kafka and Jaeger
 * (PostgreSQL is started and stopped through pg_ctl instead).
 */
type DaemonKey = 'kafka' | 'jaeger';

export interface Daemon<K extends DaemonKey> {
  /** Its entry in the state file, also the prefix of its log lines. */
  key: K;
  /** How a message names it when the recorded pid turns out to be someone else's: "our broker". */
  noun: string;
  /** What the command line of the recorded pid must contain for it to be ours (its program, its config). */
  commandLineMarks(recorded: NonNullable<InfraState[K]>): string[];
  /** How long it may take to go after SIGTERM before it gets SIGKILL. */
  stopGraceMs: number;
  /** How often to look during that grace. */
  stopPollMs: number;
}

/** The recorded pid is still ours, not a pid the system has since handed to something else. */
export function isOurs<K extends DaemonKey>(
  daemon: Daemon<K>,
  recorded: NonNullable<InfraState[K]>,
): boolean {
  if (!pidAlive(recorded.pid)) return false;
  const commandLine = processCommandLine(recorded.pid);
  return (
    commandLine !== null && daemon.commandLineMarks(recorded).every((mark) => commandLine.includes(mark))
  );
}

/** SIGTERM, then SIGKILL after the grace. Only the process the state file records, and only while it is ours. */
export async function stopDaemon<K extends DaemonKey>(
  config: InfraConfig,
  daemon: Daemon<K>,
  options: { quiet?: boolean } = {},
): Promise<void> {
  const { key } = daemon;
  const log = options.quiet ? () => undefined : config.log;
  const recorded = readState(config)[key];
  if (!recorded) {
    log(`${key}: not started by infra, nothing to stop`);
    return;
  }
  const ours = () => isOurs(daemon, recorded);
  const started = Date.now();
  if (ours()) {
    process.kill(recorded.pid, 'SIGTERM');
    while (ours() && Date.now() - started < daemon.stopGraceMs) await sleep(daemon.stopPollMs);
    if (ours()) {
      log(`${key}: pid ${recorded.pid} ignored SIGTERM for ${daemon.stopGraceMs / 1000} s; SIGKILL`);
      process.kill(recorded.pid, 'SIGKILL');
      while (ours()) await sleep(100);
    }
    log(`${key}: stopped (${seconds(started)})`);
  } else if (pidAlive(recorded.pid)) {
    log(`${key}: pid ${recorded.pid} is no longer ${daemon.noun}; leaving it alone`);
  } else {
    log(`${key}: was not running`);
  }
  forget(config, key);
}

function forget(config: InfraConfig, key: DaemonKey): void {
  updateState(config, (current) => {
    current[key] = undefined; // JSON.stringify leaves the entry out, as a delete would
  });
}

export interface Launched {
  pid: number;
  /** When it was spawned, for the ready timeout and the "after launch" log line. */
  launched: number;
  /** Why it exited (a signal, an exit code, a spawn error), or null while it runs. */
  exited(): string | null;
}

/**
 * Spawns `command` detached in its own process group, so it outlives this CLI and a Ctrl-C of it, with
 * its output appended to `logFile` (the previous run's log kept as `<logFile>.1`).
 */
export function spawnDetached(
  config: InfraConfig,
  command: string,
  args: string[],
  options: { logFile: string; env?: NodeJS.ProcessEnv },
): Launched {
  const { logFile } = options;
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  if (fs.existsSync(logFile)) fs.renameSync(logFile, `${logFile}.1`);
  const out = fs.openSync(logFile, 'a');
  const launched = Date.now();
  const child = spawn(command, args, {
    cwd: config.dataDir,
    detached: true,
    stdio: ['ignore', out, out],
    ...(options.env ? { env: options.env } : {}),
  });
  fs.closeSync(out);
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
  child.once('error', (error) => (exited = error.message));
  child.unref();
  if (child.pid === undefined)
    throw new InfraError(`could not start ${path.basename(command)}: ${exited ?? 'no pid'}`);
  return { pid: child.pid, launched, exited: () => exited };
}

/**
 * Waits until `ready()` says so. A process that exits meanwhile is dropped from the state file; one that
 * is not ready within `timeoutMs` of its launch is stopped. Either throws, with what the message says.
 */
export async function awaitReady<K extends DaemonKey>(
  config: InfraConfig,
  daemon: Daemon<K>,
  launched: Launched,
  options: {
    ready: () => Promise<boolean>;
    timeoutMs: number;
    pollMs: number;
    exitedMessage: (exited: string) => string;
    timeoutMessage: () => string;
  },
): Promise<void> {
  for (;;) {
    const exited = launched.exited();
    if (exited !== null) {
      forget(config, daemon.key);
      throw new InfraError(options.exitedMessage(exited));
    }
    if (await options.ready()) return;
    if (Date.now() - launched.launched > options.timeoutMs) {
      await stopDaemon(config, daemon, { quiet: true });
      throw new InfraError(options.timeoutMessage());
    }
    await sleep(options.pollMs);
  }
}
