import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DOWNLOAD_RETRY_DELAYS_MS, runRetrying, withRetries } from './retry';

/** A command that fails (like a dropped connection) on its first `fails` runs, then succeeds. */
function flakyCommand(fails: number): { command: string; runs: () => number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-retry-test-'));
  const counter = path.join(dir, 'runs');
  const command = path.join(dir, 'flaky');
  fs.writeFileSync(
    command,
    `#!/bin/sh
runs=$(( $(cat "${counter}" 2>/dev/null || echo 0) + 1 ))
echo "$runs" > "${counter}"
if [ "$runs" -le ${fails} ]; then echo "E: Failed to fetch http://deb.example/pool/x.deb  Connection reset by peer (run $runs)" >&2; exit 100; fi
echo "fetched on run $runs"
`,
    { mode: 0o755 },
  );
  return { command, runs: () => Number(fs.readFileSync(counter, 'utf8')) };
}

describe('runRetrying', () => {
  it('runs a download again after each failure, waiting longer each time, until it succeeds', async () => {
    const flaky = flakyCommand(2);
    const waits: number[] = [];
    const lines: string[] = [];
    const result = await runRetrying(
      flaky.command,
      [],
      {},
      {
        what: 'apt-get install',
        log: (line) => lines.push(line),
        wait: async (ms) => {
          waits.push(ms);
        },
      },
    );
    expect(result).toMatchObject({ code: 0, attempts: 3 });
    expect(result.output).toContain('fetched on run 3');
    expect(flaky.runs()).toBe(3);
    expect(waits).toEqual([5_000, 15_000]);
    expect(lines[0]).toBe(
      'apt-get install failed (attempt 1 of 4: E: Failed to fetch http://deb.example/pool/x.deb  ' +
        'Connection reset by peer (run 1)); retrying in 5 s',
    );
  });

  it('gives up after four attempts with the last failure', async () => {
    const flaky = flakyCommand(10);
    const waits: number[] = [];
    const result = await runRetrying(
      flaky.command,
      [],
      {},
      {
        what: 'apt-get update',
        wait: async (ms) => {
          waits.push(ms);
        },
      },
    );
    expect(result).toMatchObject({ code: 100, attempts: 4 });
    expect(result.output).toContain('(run 4)');
    expect(flaky.runs()).toBe(4);
    expect(waits).toEqual([...DOWNLOAD_RETRY_DELAYS_MS]);
  });

  it('does not wait or repeat a command that succeeds at once', async () => {
    const flaky = flakyCommand(0);
    const waits: number[] = [];
    const result = await runRetrying(
      flaky.command,
      [],
      {},
      {
        what: 'apt-get update',
        wait: async (ms) => {
          waits.push(ms);
        },
      },
    );
    expect(result).toMatchObject({ code: 0, attempts: 1 });
    expect(waits).toEqual([]);
  });
});

describe('withRetries', () => {
  it('passes the attempt number, so a later attempt can ask differently', async () => {
    const seen: number[] = [];
    const { outcome, attempts } = await withRetries(
      async (attempt) => {
        seen.push(attempt);
        return attempt >= 2 ? 'resolved' : 'connection abort';
      },
      (outcome) => (outcome === 'resolved' ? null : outcome),
      { what: 'mvn', wait: async () => undefined },
    );
    expect({ outcome, attempts, seen }).toEqual({ outcome: 'resolved', attempts: 2, seen: [1, 2] });
  });
});
