import { spawn } from 'node:child_process';
import fs from 'node:fs';

import { InfraError } from './state';

export interface RunResult {
  code: number;
  output: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Also append everything the command prints to this file. */
  logFile?: string;
  /** Run as the `postgres` OS user (PostgreSQL refuses to run as root). */
  asPostgres?: boolean;
}

const isRoot = process.getuid?.() === 0;

/**
 * Runs a command without blocking the event loop, so Postgres and Kafka can come up side by side.
 * Resolves with the exit code and the combined output; a missing program is an InfraError.
 */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const [program, programArgs] =
    options.asPostgres && isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    // cwd '/': runuser keeps ours, and the postgres user may not be able to read it.
    const child = spawn(program, programArgs, {
      cwd: options.cwd ?? '/',
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new InfraError(`${program} is not installed or not on PATH`) : error);
    });
    child.once('close', (code, signal) => {
      const output = Buffer.concat(chunks).toString('utf8');
      if (options.logFile) fs.appendFileSync(options.logFile, `$ ${command} ${args.join(' ')}\n${output}`);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

export function runsAsRoot(): boolean {
  return isRoot;
}

/** The last meaningful line of a command's output, for one-line failure messages. */
export function lastOutputLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const line = [...lines].reverse().find((candidate) => /error|fatal|fail/i.test(candidate)) ?? lines.at(-1);
  return line ?? '(no output)';
}
