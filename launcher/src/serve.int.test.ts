import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { createTestDatabases, eventually, realInfra, type TestDatabases } from '@clinic/testing';
import {
  buildEntrypoint,
  imageEnv,
  listening,
  runPod,
  startPodSystem,
  type Pod,
  type PodService,
} from './testing/pods';

let entrypoint: string;
let dispose: () => void;
let databases: TestDatabases;
const children: Pod[] = [];

function run(env: NodeJS.ProcessEnv): Pod {
  const pod = runPod(entrypoint, env['SERVICE'] as PodService, env);
  children.push(pod);
  return pod;
}

beforeAll(async () => {
  ({ entrypoint, dispose } = await buildEntrypoint());
  databases = await createTestDatabases();
});

afterAll(async () => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  await databases?.drop();
  dispose();
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
    const { port } = await listening(audit);
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
    const { port } = await listening(gateway);
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

  it('runs the whole system as one process per service: a booking through the gateway reaches the audit trail over Kafka', async () => {
    const system = await startPodSystem();
    const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
    try {
      const clientId = (await db.appointment.findFirstOrThrow()).clientId;
      const busy = await db.appointment.findMany({ where: { clientId }, select: { start: true } });
      const slot = await db.slot.findFirstOrThrow({
        where: { status: 'free', start: { gt: new Date(), notIn: busy.map((row) => row.start) } },
        orderBy: { start: 'asc' },
      });
      const { body } = await system.graphql(
        `mutation Book($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }`,
        {
          token: await system.token({ role: 'Patient', subject: clientId }),
          variables: { input: { slotId: slot.id, idempotencyKey: 'pods-booking-0001' } },
          headers: { 'x-correlation-id': 'pods-booking-1' },
        },
      );
      expect(body.data?.['bookAppointment']).toEqual({ __typename: 'AppointmentBooked' });
      const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-1' });
      const actions = await eventually(async () => {
        const trail = await system.graphql(`{ auditTrail(correlationId: "pods-booking-1") { action } }`, {
          token: admin,
        });
        const entries = trail.body.data?.['auditTrail'] as { action: string }[] | undefined;
        return entries && entries.length >= 2 ? entries.map((entry) => entry.action) : undefined;
      });
      expect(actions).toEqual(expect.arrayContaining(['appointment.booked']));
    } finally {
      await db.$disconnect();
      await system.stop();
    }
  });
});
