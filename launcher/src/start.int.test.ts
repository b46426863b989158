import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'clinic-start-'));

/** Runs `npm start`'s program as a user would, on free ports, until it prints that it is ready. */
async function start(
  env: Record<string, string> = {},
): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string }> {
  // As `npm start` runs it: node itself with tsx's loader, so a signal reaches the program directly.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'launcher/src/start.ts', '--port', '0', '--db-port', '0', '--data-dir', dataDir],
    {
      cwd: root,
      env: { ...process.env, SUBGRAPH_PORT_BASE: '0', METRICS_PORT: '0', NODE_OPTIONS: '', ...env },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output}`)), 120_000);
    const check = () => {
      if (/is ready in/.test(output)) return (clearTimeout(timer), resolve());
      if (child.exitCode !== null)
        return (clearTimeout(timer), reject(new Error(`exited early:\n${output}`)));
      setTimeout(check, 100);
    };
    check();
  });
  return { child, output: () => output };
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  child.kill('SIGINT');
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('npm start', () => {
  it('migrates, seeds, prints the URL and role tokens, serves a federated query, and stops cleanly on Ctrl-C', async () => {
    const { child, output } = await start();
    const text = output();
    expect(text).toMatch(/seeding mock data/);
    expect(text).not.toMatch(/traces\s/); // no endpoint, no tracing
    const url = /GraphQL gateway\s+(http:\S+)/.exec(text)?.[1];
    expect(url).toBeDefined();
    for (const role of ['Patient', 'Doctor', 'ClinicAdmin', 'PracticeManager', 'SystemAdministrator']) {
      expect(text).toMatch(new RegExp(`${role}.*\\n\\s+ey[\\w-]+\\.[\\w-]+\\.[\\w-]+`));
    }
    const patientToken = /Patient \(clientId [^)]+\)\n\s+(\S+)/.exec(text)?.[1];
    const response = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${patientToken}` },
      body: JSON.stringify({
        query:
          '{ appointments(first: 1) { start doctor { name clinic { name } } patient { clientId } history { action } } }',
      }),
    });
    const body = (await response.json()) as { data: { appointments: { doctor: { name: string } }[] } };
    expect(body.data.appointments[0]?.doctor.name).toMatch(/^Dr /);
    expect(await stop(child)).toBe(0);
    expect(output()).toMatch(/stopped cleanly/);
  }, 300_000);

  it('keeps its data between runs and does not seed twice; says where traces go when an endpoint is set', async () => {
    // Nothing listens on port 1: exports fail in the background, and nothing waits for them.
    const { child, output } = await start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' });
    expect(output()).not.toMatch(/seeding/);
    expect(output()).toMatch(/traces\s+http:\/\/127\.0\.0\.1:1\/v1\/traces .*service clinic/);
    expect(await stop(child)).toBe(0);
  }, 300_000);
});
