import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-sse';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { eventually } from '@clinic/testing';
import { startPodSystem, type PodSystem } from '../../launcher/src/testing/pods';
import { mockRegistration } from '../../subgraphs/patients/src/vault/testing/vault-test-bed';
import { HISTOGRAMS } from '../deploy-check/alerts/metric-catalogue';
import { monitoredMetricFamilies } from '../deploy-check/alerts/metric-names';
import { tool } from '../deploy-check/tools';
import { declaredIn, samplesOf, scrapeAll, type ScrapedService } from './scrapes';

/**
 * Every service as its own process on real PostgreSQL and Kafka (the production shape), a small workload
 * through the gateway, then a scrape of every service's metrics port: what an on-call engineer's
 * Prometheus would see. Each catalogue metric is where it belongs, Prometheus's own linter accepts every
 * scrape, and no label value is an id or anything a caller typed.
 */

/** Typed by the "caller" into everything it controls; must never reach a label. */
const CANARY = `zqcanary${randomBytes(6).toString('hex')}`;
/** The gateway's per-subject limit in this test: the burst below passes it, nothing else comes near. */
const SUBJECT_LIMIT = 15;

let system: PodSystem;
let scrapes: Record<ScrapedService, string>;
const clients: Client[] = [];

/** Where each metric must have samples after the workload, by service. */
const PRESENT: Record<string, ScrapedService[]> = {
  http_server_request_duration_seconds_count: ['gateway', 'doctors', 'appointments', 'patients', 'audit'],
  graphql_operations_total: ['gateway'],
  graphql_subgraph_fetch_duration_seconds_count: ['gateway'],
  graphql_query_plan_cache_requests_total: ['gateway'],
  graphql_response_cache_lookups_total: ['gateway'],
  graphql_response_cache_entries: ['gateway'],
  graphql_response_cache_bytes: ['gateway'],
  outbox_backlog_rows: ['doctors', 'appointments', 'patients'],
  outbox_oldest_unpublished_age_seconds: ['doctors', 'appointments', 'patients'],
  messaging_consumer_lag_messages: ['gateway', 'appointments', 'patients', 'audit'],
  messaging_events_handled_total: ['gateway', 'appointments', 'patients', 'audit'],
  live_subscribers: ['gateway'],
  live_events_fanned_out_total: ['gateway'],
  live_fanout_lag_seconds_count: ['gateway'],
  clinic_bookings_total: ['appointments'],
  clinic_notifications_total: ['patients'],
  clinic_reassignments_total: ['appointments'],
  clinic_rate_limited_requests_total: ['gateway'],
  clinic_audit_chain_verifications_total: ['audit'],
  db_client_connections_usage: ['doctors', 'appointments', 'patients', 'audit'],
  db_client_connection_pending_requests: ['doctors', 'appointments', 'patients', 'audit'],
  process_cpu_seconds_total: ['gateway', 'doctors', 'appointments', 'patients', 'audit'],
  nodejs_heap_size_used_bytes: ['gateway', 'doctors', 'appointments', 'patients', 'audit'],
};

/**
 * Declared by every service but with no samples from this workload: a KMS key needs AWS, dead letters a
 * consumer that keeps failing, a slow cut a client that stops reading,
 * dropped spans a tracer. Their recording is tested where it happens.
 */
const DECLARED_ONLY = [
  'messaging_dead_letters_total',
  'messaging_dead_letter_last_timestamp_seconds',
  'live_slow_consumers_cut_total',
  'clinic_vault_kms_requests_total',
  'otel_spans_dropped_total',
];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

beforeAll(async () => {
  system = await startPodSystem({
    serviceEnv: {
      gateway: { RATE_LIMIT_SUBJECT_PER_MINUTE: String(SUBJECT_LIMIT) },
      // Only the verification the workload asks for is counted, not the watch's own run at start.
      audit: { AUDIT_VERIFY_INTERVAL_MS: '0' },
    },
  });
  await workload(system);
  // Asynchronous effects (events consumed, messages sent, lag read) show up in a later scrape; if one
  // never does, the first test below names what is missing.
  const deadline = Date.now() + 180_000;
  for (;;) {
    scrapes = await scrapeAll(system.pods);
    if (missing().length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}, 900_000);

afterAll(async () => {
  for (const client of clients) client.dispose();
  await system?.stop();
});

async function workload(system: PodSystem): Promise<void> {
  const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
  try {
    const admin = await system.token({ role: 'SystemAdministrator', subject: 'ops-metrics' });
    // Public reads: the clinics, then a slot search (twice: the second plan comes from the cache).
    const clinics = await system.graphql(`query ${CANARY}Clinics { clinics { id timeZone } }`, {
      headers: { 'x-canary': CANARY, 'x-correlation-id': CANARY },
    });
    const clinic = (clinics.body.data?.['clinics'] as { id: string; timeZone: string }[])[0];
    if (!clinic) throw new Error(`no clinics: ${JSON.stringify(clinics.body)}`);
    const today = new Date().toISOString().slice(0, 10);
    const inAWeek = new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10);
    for (let search = 0; search < 2; search++) {
      const found = await system.graphql(
        `query Search($filter: AvailableSlotsFilter!) { availableSlots(filter: $filter, first: 5) { edges { cursor } } }`,
        { variables: { filter: { clinicId: clinic.id, fromDate: today, toDate: inAWeek }, canary: CANARY } },
      );
      expect(found.body.errors).toBeUndefined();
    }

    // A live subscriber, anonymous, watching every slot for a month.
    let connected!: () => void;
    const subscribed = new Promise<void>((resolve) => (connected = resolve));
    const received: unknown[] = [];
    const client = createClient({
      url: system.gatewayUrl,
      singleConnection: false,
      retryAttempts: 0,
      headers: { 'x-canary': CANARY },
      on: { connected: () => connected() },
    });
    clients.push(client);
    client.subscribe(
      {
        query: `subscription ${CANARY}Live($from: DateTime!, $to: DateTime!) { slotAvailabilityChanged(from: $from, to: $to) { __typename } }`,
        variables: { from: new Date().toISOString(), to: new Date(Date.now() + 30 * 864e5).toISOString() },
      },
      { next: (result) => void received.push(result), error: () => undefined, complete: () => undefined },
    );
    await subscribed;

    // A booking, its replay (not counted again), a refusal of the same slot for another patient, a cancel.
    const [first, second] = await db.appointment.findMany({ distinct: ['clientId'], take: 2 });
    if (!first || !second) throw new Error('the seed has fewer than two patients with appointments');
    const busy = await db.appointment.findMany({
      where: { clientId: { in: [first.clientId, second.clientId] } },
      select: { start: true },
    });
    const slot = await db.slot.findFirstOrThrow({
      where: { status: 'free', start: { gt: new Date(), notIn: busy.map((row) => row.start) } },
      orderBy: { start: 'asc' },
    });
    const BOOK = `mutation ${CANARY}($input: BookAppointmentInput!) { bookAppointment(input: $input) {
      __typename ... on AppointmentBooked { appointment { id } } } }`;
    const patient = await system.token({ role: 'Patient', subject: first.clientId });
    const input = { slotId: slot.id, idempotencyKey: `metrics-${CANARY}` };
    const booked = await system.graphql(BOOK, { token: patient, variables: { input } });
    expect(booked.body.data?.['bookAppointment']).toMatchObject({ __typename: 'AppointmentBooked' });
    const replayed = await system.graphql(BOOK, { token: patient, variables: { input } });
    expect(replayed.body.data?.['bookAppointment']).toEqual(booked.body.data?.['bookAppointment']);
    const other = await system.token({ role: 'Patient', subject: second.clientId });
    const refused = await system.graphql(BOOK, {
      token: other,
      variables: { input: { slotId: slot.id, idempotencyKey: `metrics-other-${CANARY}` } },
    });
    expect(refused.body.data?.['bookAppointment']).toEqual({ __typename: 'SlotUnavailable' });
    const appointmentId = (booked.body.data?.['bookAppointment'] as { appointment: { id: string } })
      .appointment.id;
    const cancelled = await system.graphql(
      `mutation($input: CancelAppointmentInput!) { cancelAppointment(input: $input) { __typename } }`,
      { token: patient, variables: { input: { appointmentId, idempotencyKey: `cancel-${CANARY}` } } },
    );
    expect(cancelled.body.data?.['cancelAppointment']).toEqual({ __typename: 'AppointmentCancelled' });
    await eventually(async () => (received.length > 0 ? true : undefined), 120_000);

    // A patient registration (the vault), and an audit-chain verification.
    const details = mockRegistration();
    const registered = await system.graphql(
      `mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { __typename ... on InvalidInput { field } } }`,
      // A number the seed's patients do not have (theirs count up from (02) 5550 0001).
      {
        token: admin,
        variables: { input: { ...details, phone: `(08) 5550 ${5000 + (Date.now() % 5000)}` } },
      },
    );
    expect(registered.body.data?.['registerPatient']).toEqual({ __typename: 'PatientRegistered' });
    const verified = await system.graphql(`{ verifyAuditChain { ok } }`, { token: admin });
    expect(verified.body.data?.['verifyAuditChain']).toEqual({ ok: true });

    // A doctor's leave over a booked appointment: it is re-assigned or flagged, and its patient told.
    const displaced = await db.appointment.findFirstOrThrow({
      where: { status: 'booked', start: { gt: new Date(Date.now() + 864e5) } },
      orderBy: { start: 'asc' },
    });
    const leave = await system.graphql(
      `mutation($input: AddAvailabilityExceptionInput!) { addAvailabilityException(input: $input) {
        __typename ... on InvalidInput { field message } } }`,
      {
        token: await system.token({
          role: 'ClinicAdmin',
          subject: 'staff-metrics',
          clinicId: displaced.clinicId,
        }),
        variables: {
          input: {
            doctorId: displaced.doctorId,
            startsAt: new Date(displaced.start.getTime() - 60_000).toISOString(),
            endsAt: new Date(displaced.end.getTime() + 60_000).toISOString(),
            kind: 'leave',
            reasonCode: 'annual-leave',
            idempotencyKey: `leave-${CANARY}`,
          },
        },
      },
    );
    expect(leave.body.data?.['addAvailabilityException']).toEqual({
      __typename: 'AvailabilityExceptionAdded',
    });

    // Refusals: a bad token, a query for a field that does not exist, a path nobody serves.
    await system.graphql(`{ clinics { id } }`, { token: `${CANARY}.x.y` });
    await system.graphql(`{ ${CANARY} }`);
    await fetch(`${system.gatewayUrl}/${CANARY}?${CANARY}=${CANARY}`);
    await fetch(new URL(`/${CANARY}`, system.gatewayUrl));

    // One subject's burst past its per-minute limit.
    const bursty = await system.token({ role: 'Patient', subject: randomUUID() });
    const statuses = await Promise.all(
      Array.from({ length: SUBJECT_LIMIT + 3 }, () =>
        system.graphql(`{ __typename }`, { token: bursty }).then((answer) => answer.status),
      ),
    );
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
  } finally {
    await db.$disconnect();
  }
}

/** What PRESENT expects that the scrapes lack, as `service metric`. */
function missing(): string[] {
  return Object.entries(PRESENT).flatMap(([name, where]) =>
    where
      .filter((service) => !samplesOf(scrapes[service]).some((sample) => sample.name === name))
      .map((service) => `${service} ${name}`),
  );
}

const services = (): ScrapedService[] => ['gateway', 'doctors', 'appointments', 'patients', 'audit'];
const sum = (service: ScrapedService, name: string, labels: Record<string, string> = {}) =>
  samplesOf(scrapes[service])
    .filter((sample) => sample.name === name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((total, sample) => total + sample.value, 0);

describe('metrics of every service after a workload, on real PostgreSQL and Kafka', () => {
  it('has each catalogue metric where it belongs, every series labelled with its service', () => {
    expect(missing()).toEqual([]);
    for (const service of services()) {
      const declared = declaredIn(scrapes[service]);
      for (const name of DECLARED_ONLY)
        expect({ service, name, declared: declared.has(name) }).toEqual({
          service,
          name,
          declared: true,
        });
      const strangers = samplesOf(scrapes[service]).filter((sample) => sample.labels['service'] !== service);
      expect({ service, strangers }).toEqual({ service, strangers: [] });
    }
  });

  it('counts what the workload did: bookings by typed outcome (a replay once), refusals, the plan cache', () => {
    expect(
      sum('appointments', 'clinic_bookings_total', {
        operation: 'bookAppointment',
        outcome: 'AppointmentBooked',
      }),
    ).toBe(1);
    expect(
      sum('appointments', 'clinic_bookings_total', {
        operation: 'bookAppointment',
        outcome: 'SlotUnavailable',
      }),
    ).toBe(1);
    expect(
      sum('appointments', 'clinic_bookings_total', {
        operation: 'cancelAppointment',
        outcome: 'AppointmentCancelled',
      }),
    ).toBe(1);
    expect(
      sum('gateway', 'graphql_operations_total', {
        operation: 'bookAppointment',
        operation_type: 'mutation',
        outcome: 'ok',
      }),
    ).toBe(3);
    expect(
      sum('gateway', 'graphql_operations_total', {
        operation: 'unknown',
        outcome: 'GRAPHQL_VALIDATION_FAILED',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sum('gateway', 'clinic_rate_limited_requests_total', { reason: 'subject_minute' }),
    ).toBeGreaterThan(0);
    expect(sum('gateway', 'graphql_query_plan_cache_requests_total', { result: 'hit' })).toBeGreaterThan(0);
    expect(sum('gateway', 'graphql_query_plan_cache_requests_total', { result: 'miss' })).toBeGreaterThan(0);
    // The two requests to paths nobody routes are `other`, never their URL.
    expect(sum('gateway', 'http_server_request_duration_seconds_count', { http_route: 'other' })).toBe(2);
    expect(sum('audit', 'clinic_audit_chain_verifications_total', { outcome: 'ok' })).toBe(1);
    expect(sum('patients', 'clinic_notifications_total', { outcome: 'sent' })).toBeGreaterThan(0);
    expect(
      sum('patients', 'db_client_connections_usage', { pool: 'pii_vault' }) +
        sum('patients', 'db_client_connections_usage', { pool: 'patients' }),
    ).toBeGreaterThan(0);
  });

  it('passes `promtool check metrics` on every scrape', () => {
    const promtool = tool('promtool');
    for (const service of services()) {
      let problems = '';
      try {
        execFileSync(promtool, ['check', 'metrics'], {
          input: scrapes[service],
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (error) {
        const failed = error as { stdout?: string; stderr?: string };
        problems = `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim() || String(error);
      }
      expect({ service, problems }).toEqual({ service, problems: '' });
    }
  });

  it('declares every metric the alert rules and the dashboard read (no alert on a metric nobody exports)', () => {
    const declared = new Set(services().flatMap((service) => [...declaredIn(scrapes[service])]));
    const missing = monitoredMetricFamilies(HISTOGRAMS).filter((family) => !declared.has(family));
    expect(missing).toEqual([]);
  });

  it('has no label value that is a UUID, and nothing a caller typed (operation names, variables, headers, URLs)', () => {
    for (const service of services()) {
      const ids = samplesOf(scrapes[service]).filter((sample) =>
        Object.values(sample.labels).some((value) => UUID.test(value)),
      );
      expect({ service, ids }).toEqual({ service, ids: [] });
      expect({ service, canary: scrapes[service].includes(CANARY) }).toEqual({ service, canary: false });
    }
  });

  it('finds a UUID label value when there is one (the check above can fail)', () => {
    const planted = `x_total{service="gateway",group="${randomUUID()}"} 1\n`;
    expect(
      samplesOf(planted).some((sample) => Object.values(sample.labels).some((value) => UUID.test(value))),
    ).toBe(true);
  });
});
