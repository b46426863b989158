import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases, realInfra, type TestDatabases } from '@clinic/testing';
import { buildServe } from './build';

const root = path.resolve(__dirname, '..', '..');
// Inside the repository, so the bundle's requires resolve in its node_modules as they do in the image.
const outDir = mkdtempSync(path.join(root, '.data', 'serve-test-'));
let entrypoint: string;
let databases: TestDatabases;
const children: ChildProcess[] = [];

/** The image's environment (see Dockerfile): paths, then the service's own variables. */
function imageEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    SCHEMA_DIR: path.join(root, 'schema'),
    MIGRATIONS_DIR: path.join(root, 'prisma'),
    LISTEN_HOST: '127.0.0.1',
    // Any free port: tests run side by side on one machine.
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

function run(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
} {
  const child = spawn(process.execPath, [entrypoint], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Waits for the JSON log line that says the server listens, and returns its port. */
async function listeningPort(output: () => string, exited: Promise<number | null>): Promise<number> {
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    const match = /"port":(\d+)[^\n]*listening/.exec(output());
    if (match?.[1]) return Number(match[1]);
    if (done) throw new Error(`the service exited before listening:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  entrypoint = await buildServe(outDir);
  databases = await createTestDatabases();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await databases?.drop();
  rmSync(outDir, { recursive: true, force: true });
});

const databaseEnv = () =>
  Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]));

describe('the production entrypoint (bundled as in the image)', () => {
  it('SERVICE=migrate applies every database migration and exits 0', async () => {
    const migrate = run(imageEnv({ SERVICE: 'migrate', ...databaseEnv() }));
    expect(await migrate.exited).toBe(0);
    for (const name of DATABASE_NAMES) {
      const client = new Client({ connectionString: databases.urls[name] });
      await client.connect();
      try {
        const { rows } = await client.query<{ count: string }>(
          'SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL',
        );
        expect(Number(rows[0]?.count)).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
    }
  });

  it('SERVICE=audit serves /healthz and a ready /readyz on real PostgreSQL and Kafka, and stops on SIGTERM', async () => {
    const audit = run(
      imageEnv({
        SERVICE: 'audit',
        PORT: '0',
        DATABASE_URL_AUDIT: databases.urls.audit,
        KAFKA_BROKERS: realInfra().kafkaBrokers.join(','),
        // Topics of its own: a new consumer group must not replay other tests' history.
        KAFKA_GROUP_PREFIX: `serve-${randomUUID()}-`,
        KAFKA_TOPIC_PREFIX: `serve-${randomUUID()}-`,
        INTERNAL_IDENTITY_SECRET: randomBytes(32).toString('base64'),
      }),
    );
    const port = await listeningPort(audit.output, audit.exited);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect({ status: ready.status, body }).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { 'database:audit': 'ok', 'event-bus:audit': 'ok' } },
    });

    audit.child.kill('SIGTERM');
    expect(await audit.exited).toBe(0);
  });

  it('SERVICE=gateway serves /healthz and reports unreachable subgraphs on /readyz', async () => {
    const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    // Nothing listens on port 1: the gateway is up, but not ready.
    const nowhere = 'http://127.0.0.1:1/graphql';
    const gateway = run(
      imageEnv({
        SERVICE: 'gateway',
        PORT: '0',
        JWT_PUBLIC_KEY: publicKey,
        INTERNAL_IDENTITY_SECRET: randomBytes(32).toString('base64'),
        SUBGRAPH_URL_DOCTORS: nowhere,
        SUBGRAPH_URL_APPOINTMENTS: nowhere,
        SUBGRAPH_URL_PATIENTS: nowhere,
        SUBGRAPH_URL_AUDIT: nowhere,
      }),
    );
    const port = await listeningPort(gateway.output, gateway.exited);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(Object.keys(((await ready.json()) as { checks: object }).checks).sort()).toEqual([
      'subgraph:appointments',
      'subgraph:audit',
      'subgraph:doctors',
      'subgraph:patients',
    ]);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });

  it('refuses to start with a clear message when a variable is missing', async () => {
    const appointments = run(
      imageEnv({ SERVICE: 'appointments', DATABASE_URL_APPOINTMENTS: databases.urls.appointments }),
    );
    expect(await appointments.exited).toBe(2);
    expect(appointments.output()).toContain('KAFKA_BROKERS is required for appointments');
  });
});
