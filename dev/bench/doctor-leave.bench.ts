import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases } from '@clinic/testing';
import { infraUp } from '@clinic/testing/infra';
import { startTestSystem } from '../../system/test-system';
import { deleteBenchTopics } from './bench-topics';

/**
 * A doctor with 500 future appointments goes unavailable (through the gateway). Timed from the mutation
 * to every appointment re-assigned to a colleague free at the same time, and to every patient's
 * notification queued. The whole system on real PostgreSQL, with Kafka between the services, and side by
 * side with the in-process bus as the baseline. Meanwhile patients of the doctor cancel, one after another:
 * their latency while the appointments are re-assigned, against the same cancels on a quiet system.
 */
const APPOINTMENTS = Number(process.env['BENCH_APPOINTMENTS'] ?? 500);
/** Patients of the leaving doctor who cancel: this many on a quiet system, as many during the leave. */
const CANCELS = 40;

const CANCEL = `mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }`;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function sql<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function run(label: string, kafkaBrokers: string | null, serverUrl: string) {
  const databases = await createTestDatabases(DATABASE_NAMES, serverUrl);
  const env: Record<string, string> = Object.fromEntries(
    DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]),
  );
  if (kafkaBrokers) {
    env['KAFKA_BROKERS'] = kafkaBrokers;
    env['KAFKA_TOPIC_PREFIX'] = `bench-leave-${randomUUID()}.`;
  }
  // 15-minute slots over 30 days: 700 times for each doctor, colleagues on the same grid.
  const system = await startTestSystem(
    {
      clinics: 1,
      doctors: 6,
      patients: APPOINTMENTS + 2 * CANCELS,
      appointments: 0,
      days: 30,
      slotMinutes: 15,
    },
    env,
  );
  const appointmentsUrl = databases.urls.appointments;
  try {
    const [doctor] = await sql<{ doctor_id: string }>(appointmentsUrl, 'SELECT doctor_id FROM slot LIMIT 1');
    const patients = await sql<{ client_id: string }>(
      databases.urls.patients,
      'SELECT client_id FROM patient ORDER BY client_id LIMIT $1',
      [APPOINTMENTS + 2 * CANCELS],
    );
    // Book the doctor's next 500 slots, one patient each, straight into the database (setup, not timed).
    await sql(
      appointmentsUrl,
      `WITH chosen AS (
         SELECT s.*, row_number() OVER (ORDER BY s.start) AS n FROM slot s
          WHERE s.doctor_id = $1 AND s.start > now() + interval '1 day' ORDER BY s.start LIMIT $2),
       busy AS (UPDATE slot SET status = 'busy' WHERE id IN (SELECT id FROM chosen))
       INSERT INTO appointment (id, slot_id, doctor_id, clinic_id, client_id, start, "end", status)
       SELECT gen_random_uuid(), c.id, c.doctor_id, c.clinic_id, (($3::uuid[])[c.n]), c.start, c."end", 'booked'
         FROM chosen c`,
      [doctor?.doctor_id, APPOINTMENTS + 2 * CANCELS, patients.map((row) => row.client_id)],
    );
    const booked = await sql<{ id: string; client_id: string }>(
      appointmentsUrl,
      'SELECT id, client_id FROM appointment WHERE doctor_id = $1 ORDER BY start DESC LIMIT $2',
      [doctor?.doctor_id, 2 * CANCELS],
    );
    /** Cancels these appointments one after another, each as its own patient; the latency of each. */
    const cancelInTurn = async (rows: typeof booked) => {
      const tokens = await Promise.all(
        rows.map((row) => system.token({ role: 'Patient', subject: row.client_id })),
      );
      const latencies: number[] = [];
      for (const [index, row] of rows.entries()) {
        const sent = performance.now();
        const answer = await system.graphql(CANCEL, {
          token: tokens[index],
          variables: { input: { appointmentId: row.id, idempotencyKey: randomUUID() } },
        });
        latencies.push(performance.now() - sent);
        if (answer.body.errors)
          throw new Error(`${label}: a cancel failed: ${JSON.stringify(answer.body.errors)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return latencies;
    };
    const quiet = await cancelInTurn(booked.slice(0, CANCELS));
    const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-bench' });
    const started = performance.now();
    const { body } = await system.graphql(
      `mutation($input: SetDoctorStatusInput!) { setDoctorStatus(input: $input) { __typename } }`,
      {
        token: admin,
        variables: {
          input: { doctorId: doctor?.doctor_id, status: 'unavailable', idempotencyKey: randomUUID() },
        },
      },
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    const duringLeave = cancelInTurn(booked.slice(CANCELS));
    let reassignedMs = NaN;
    let queuedMs = NaN;
    for (;;) {
      const [moved] = await sql<{ left: number; attention: number }>(
        appointmentsUrl,
        `SELECT count(*) FILTER (WHERE doctor_id = $1 AND needs_attention_since IS NULL)::int AS left,
                count(*) FILTER (WHERE needs_attention_since IS NOT NULL)::int AS attention
           FROM appointment WHERE client_id = ANY($2::uuid[]) AND status = 'booked'`,
        [doctor?.doctor_id, patients.map((row) => row.client_id)],
      );
      if (Number.isNaN(reassignedMs) && moved?.left === 0) reassignedMs = performance.now() - started;
      const [queued] = await sql<{ count: number }>(
        databases.urls.patients,
        `SELECT count(DISTINCT appointment_id)::int AS count FROM notification WHERE recipient = 'patient'`,
      );
      if (!Number.isNaN(reassignedMs) && (queued?.count ?? 0) >= APPOINTMENTS) {
        queuedMs = performance.now() - started;
        console.log(`${label}: ${moved?.attention ?? 0} left needing attention`);
        break;
      }
      if (performance.now() - started > 180_000) throw new Error(`${label}: not done in 180 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const busy = await duringLeave;
    return { reassignedMs, queuedMs, quiet, busy };
  } finally {
    await system.stop();
    await databases.drop();
    if (kafkaBrokers) await deleteBenchTopics(kafkaBrokers, env['KAFKA_TOPIC_PREFIX'] ?? '');
  }
}

async function main() {
  const infra = await infraUp({ log: () => undefined });
  const serverUrl = infra.databaseUrls.appointments;
  const baseline = await run('in-process bus', null, serverUrl);
  const kafka = await run('Kafka', infra.kafkaBrokers, serverUrl);
  console.log(`\ndoctor with ${APPOINTMENTS} future appointments goes unavailable (real PostgreSQL)`);
  console.log('bus               all re-assigned   all notifications queued');
  for (const [name, result] of [
    ['in-process', baseline],
    ['Kafka', kafka],
  ] as const) {
    console.log(
      `${name.padEnd(16)} ${(result.reassignedMs / 1000).toFixed(2).padStart(10)} s ${(result.queuedMs / 1000).toFixed(2).padStart(16)} s`,
    );
  }
  console.log(
    `Kafka / in-process: ${(kafka.queuedMs / baseline.queuedMs).toFixed(2)}x; aim: under 5 s end to end`,
  );
  console.log(`\npatients cancelling, ${CANCELS} one after another   p50 ms   p99 ms`);
  for (const [name, result] of [
    ['in-process', baseline],
    ['Kafka', kafka],
  ] as const) {
    for (const [phase, samples] of [
      ['quiet', result.quiet],
      ['during the leave', result.busy],
    ] as const) {
      console.log(
        `${`${name}, ${phase}`.padEnd(44)} ${percentile(samples, 50).toFixed(1).padStart(7)} ${percentile(samples, 99).toFixed(1).padStart(8)}`,
      );
    }
  }
  console.log('aim: p99 during the leave under 200 ms');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
