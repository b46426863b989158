import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client as SseClient } from 'graphql-sse';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases } from '@clinic/testing';
import { infraUp } from '@clinic/testing/infra';
import { startTestSystem, type TestSystem } from '../../system/test-system';
import { deleteBenchTopics } from './bench-topics';

/**
 * Freed slot → first offer (issue 19), the whole system on real PostgreSQL, with Kafka between the
 * services and side by side with the in-process bus as the baseline. Each repetition (BENCH_REPETITIONS,
 * 200, after 5 not counted): a patient has a time booked, another waits for exactly that time (a waitlist
 * entry for its doctor, day and start) and listens on `myAppointmentUpdates`; the first cancels through
 * the gateway. From the cancel's answer (the freeing committed), the first moment each was seen:
 * - the offer row written (the `appointments-waitlist` consumer's transaction committed),
 * - its `waitlist.offered` published (the outbox row's `published_at`),
 * - the offer on the waiting patient's live stream (through the gateway),
 * - the patient's `waitlist_offer` message queued in the patients service, and sent to the development sink.
 * Rows are polled every 5 ms on one connection per database; one repetition at a time.
 */
const REPETITIONS = Number(process.env['BENCH_REPETITIONS'] ?? 200);
const WARM_UP = 5;
const POLL_MS = 5;
const STAGES = ['offer', 'published', 'stream', 'queued', 'sent'] as const;
type Stage = (typeof STAGES)[number];
const STAGE_NAMES: Record<Stage, string> = {
  offer: 'offer row written',
  published: 'waitlist.offered published',
  stream: 'on the live stream',
  queued: 'message queued',
  sent: 'message sent (sink)',
};

interface Result {
  cancelMs: number[];
  stages: Record<Stage, number[]>;
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

async function gql(system: TestSystem, query: string, token: string, variables: Record<string, unknown>) {
  const { body } = await system.graphql(query, { token, variables });
  if (!body.data || body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Subscribes the patient to their updates; resolves once connected. */
async function listen(system: TestSystem, token: string, onOffer: () => void): Promise<SseClient> {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url: system.gatewayUrl,
    singleConnection: false,
    headers: (): Record<string, string> => ({ authorization: `Bearer ${token}` }),
    retryAttempts: 0,
    on: { connected: () => connected() },
  });
  client.subscribe(
    { query: 'subscription { myAppointmentUpdates { kind offerId } } ' },
    {
      next: (result) => {
        const update = result.data?.['myAppointmentUpdates'] as { kind?: string } | undefined;
        if (update?.kind === 'waitlist_offer') onOffer();
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await ready;
  return client;
}

async function run(label: string, kafkaBrokers: string | null, serverUrl: string): Promise<Result> {
  const total = WARM_UP + REPETITIONS;
  const databases = await createTestDatabases(DATABASE_NAMES, serverUrl);
  const env: Record<string, string> = Object.fromEntries(
    DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]]),
  );
  if (kafkaBrokers) {
    env['KAFKA_BROKERS'] = kafkaBrokers;
    env['KAFKA_TOPIC_PREFIX'] = `bench-waitlist-${randomUUID()}.`;
    env['KAFKA_GROUP_PREFIX'] = `bench-waitlist-${randomUUID()}-`;
  }
  const system = await startTestSystem(
    { clinics: 3, doctors: 6, patients: 2 * total, appointments: 0, days: 14, slotMinutes: 15 },
    env,
  );
  const appointments = new Client({ connectionString: databases.urls.appointments });
  const patientsDb = new Client({ connectionString: databases.urls.patients });
  const doctorsDb = new Client({ connectionString: databases.urls.doctors });
  await Promise.all([appointments.connect(), patientsDb.connect(), doctorsDb.connect()]);
  try {
    const zones = new Map(
      (
        await doctorsDb.query<{ id: string; time_zone: string }>('SELECT id::text, time_zone FROM clinic')
      ).rows.map((row) => [row.id, row.time_zone]),
    );
    // One slot per repetition, each a distinct doctor and start (so an entry fits its own slot alone).
    const slots = (
      await appointments.query<{ id: string; start: Date; doctor_id: string; clinic_id: string }>(
        `SELECT id::text, start, doctor_id::text, clinic_id::text FROM slot
          WHERE status = 'free' AND start > now() + interval '1 day' ORDER BY random() LIMIT $1`,
        [total],
      )
    ).rows;
    const patients = (
      await patientsDb.query<{ client_id: string }>(
        'SELECT client_id::text FROM patient ORDER BY client_id LIMIT $1',
        [2 * total],
      )
    ).rows.map((row) => row.client_id);
    if (slots.length < total || patients.length < 2 * total)
      throw new Error(
        `${label}: ${slots.length} slots and ${patients.length} patients for ${total} repetitions`,
      );
    const result: Result = {
      cancelMs: [],
      stages: Object.fromEntries(STAGES.map((stage) => [stage, []])) as unknown as Record<Stage, number[]>,
    };
    for (const [index, slot] of slots.entries()) {
      const booker = patients[2 * index] ?? '';
      const waiting = patients[2 * index + 1] ?? '';
      const bookerToken = await system.token({ role: 'Patient', subject: booker });
      const waitingToken = await system.token({ role: 'Patient', subject: waiting });
      const booked = await gql(
        system,
        `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
           __typename ... on AppointmentBooked { appointment { id } } } }`,
        bookerToken,
        { input: { slotId: slot.id, idempotencyKey: `bench-${randomUUID()}` } },
      );
      const appointmentId = (booked['bookAppointment'] as { appointment?: { id: string } }).appointment?.id;
      if (!appointmentId) throw new Error(`${label}: booking failed: ${JSON.stringify(booked)}`);
      const zone = zones.get(slot.clinic_id) ?? 'Australia/Sydney';
      const local = DateTime.fromJSDate(slot.start, { zone });
      const joined = await gql(
        system,
        `mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) { __typename } }`,
        waitingToken,
        {
          input: {
            doctorId: slot.doctor_id,
            fromDate: local.toISODate(),
            toDate: local.toISODate(),
            timeZone: zone,
            earliestStart: local.toFormat('HH:mm'),
            latestStart: local.toFormat('HH:mm'),
            idempotencyKey: `bench-${randomUUID()}`,
          },
        },
      );
      if ((joined['joinWaitlist'] as { __typename: string }).__typename !== 'WaitlistJoined')
        throw new Error(`${label}: join failed: ${JSON.stringify(joined)}`);
      const seen: Partial<Record<Stage, number>> = {};
      const stream = await listen(system, waitingToken, () => (seen.stream ??= performance.now()));
      try {
        const sent = performance.now();
        await gql(
          system,
          `mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }`,
          bookerToken,
          { input: { appointmentId, idempotencyKey: `bench-${randomUUID()}` } },
        );
        const freed = performance.now();
        const deadline = freed + 60_000;
        let offerEvent: string | null = null;
        while (STAGES.some((stage) => seen[stage] === undefined)) {
          if (performance.now() > deadline)
            throw new Error(`${label}: repetition ${index}: only ${JSON.stringify(seen)} within 60 s`);
          if (seen.offer === undefined) {
            const [offer] = (
              await appointments.query<{ seq: string | null }>(
                `SELECT (SELECT b.seq::text FROM outbox b WHERE b.aggregate_id = o.id::text) AS seq
                   FROM waitlist_offer o WHERE o.slot_id = $1`,
                [slot.id],
              )
            ).rows;
            if (offer) {
              seen.offer = performance.now();
              offerEvent = offer.seq;
            }
          }
          if (seen.offer !== undefined && seen.published === undefined) {
            // The outbox row by its key (the outbox has no index on the aggregate).
            const [event] = (
              await appointments.query<{ published: boolean }>(
                'SELECT published_at IS NOT NULL AS published FROM outbox WHERE seq = $1::bigint',
                [offerEvent],
              )
            ).rows;
            if (event?.published) seen.published = performance.now();
          }
          if (seen.queued === undefined || seen.sent === undefined) {
            const [message] = (
              await patientsDb.query<{ status: string }>(
                `SELECT status::text FROM notification WHERE client_id = $1 AND reason = 'waitlist_offer'`,
                [waiting],
              )
            ).rows;
            const now = performance.now();
            if (message) seen.queued ??= now;
            if (message?.status === 'sent') seen.sent ??= now;
            if (message?.status === 'failed') throw new Error(`${label}: the offer's message failed`);
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
        if (index >= WARM_UP) {
          result.cancelMs.push(freed - sent);
          for (const stage of STAGES) result.stages[stage].push((seen[stage] ?? NaN) - freed);
        }
      } finally {
        stream.dispose();
      }
    }
    return result;
  } finally {
    await Promise.all([appointments.end(), patientsDb.end(), doctorsDb.end()]);
    await system.stop();
    await databases.drop();
    if (kafkaBrokers) await deleteBenchTopics(kafkaBrokers, env['KAFKA_TOPIC_PREFIX'] ?? '');
  }
}

async function main() {
  const serverUrl =
    process.env['TEST_POSTGRES_URL'] ?? (await infraUp({ log: () => undefined })).databaseUrls.appointments;
  const brokers = process.env['TEST_KAFKA_BROKERS'] ?? (await infraUp({ log: () => undefined })).kafkaBrokers;
  console.log(
    `waitlist offer: a booked time cancelled through the gateway, one patient waiting for it; ${REPETITIONS} ` +
      `repetitions one at a time (after ${WARM_UP} not counted), ms from the cancel's answer; real PostgreSQL ` +
      `(load average ${loadAverage()})`,
  );
  const results: Record<string, Result> = {};
  const loads: Record<string, string> = {};
  for (const [name, kafka] of [
    ['in-process (baseline)', null],
    ['kafka', brokers],
  ] as const) {
    results[name] = await run(name, kafka, serverUrl);
    loads[name] = loadAverage();
  }
  console.log(
    `\n${'stage'.padEnd(28)} ${'bus'.padEnd(22)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
  );
  const rows: { stage: string; bus: string; p50: number; p99: number; max: number }[] = [];
  for (const stage of ['cancel', ...STAGES] as const) {
    for (const [bus, result] of Object.entries(results)) {
      const samples = stage === 'cancel' ? result.cancelMs : result.stages[stage];
      const row = {
        stage: stage === 'cancel' ? 'cancel round trip' : STAGE_NAMES[stage],
        bus,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        max: Math.max(...samples),
      };
      rows.push(row);
      console.log(
        `${row.stage.padEnd(28)} ${bus.padEnd(22)} ${row.p50.toFixed(1).padStart(8)} ${row.p99.toFixed(1).padStart(8)} ${row.max.toFixed(1).padStart(8)}`,
      );
    }
  }
  const base = results['in-process (baseline)'];
  const kafka = results['kafka'];
  if (base && kafka) {
    console.log(
      `kafka / baseline p99: ${STAGES.map(
        (stage) =>
          `${stage} x${(percentile(kafka.stages[stage], 99) / percentile(base.stages[stage], 99)).toFixed(2)}`,
      ).join(', ')}`,
    );
    const worst = Math.max(
      percentile(kafka.stages.published, 99),
      percentile(kafka.stages.stream, 99),
      percentile(kafka.stages.queued, 99),
    );
    console.log(
      `aim: freed → offer sent (published, on the stream, message queued) p99 under 2 s through Kafka: ` +
        `${worst < 2_000 ? 'met' : 'NOT met'} (${worst.toFixed(0)} ms; load average ${loadAverage()})`,
    );
  }
  const root = path.resolve(__dirname, '..', '..');
  const dir = path.join(root, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `waitlist-offer-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { repetitions: REPETITIONS, warmUp: WARM_UP, pollMs: POLL_MS, loads, rows, results },
      null,
      2,
    ),
  );
  console.log(`written to ${path.relative(root, file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
