import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { TOPICS } from '@clinic/contracts';
import { eventually } from '@clinic/testing';
import {
  jaegerFromEnv,
  jaegerTrace,
  jaegerTracesSince,
  serviceOf,
  spanTexts,
  tag,
  type JaegerSpan,
  type JaegerTrace,
} from './testing/jaeger';
import { startPodSystem, type PodSystem } from './testing/pods';

/**
 * Issue 17, traces: the five services as separate processes (the bundled image entrypoint) on real
 * PostgreSQL and Kafka, exporting OTLP to a real Jaeger; what they exported is read back from Jaeger's
 * query API.
 */

const { otlpEndpoint, queryUrl } = jaegerFromEnv();
const startedAt = Date.now();
let system: PodSystem;

beforeAll(async () => {
  system = await startPodSystem({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
}, 600_000);

afterAll(async () => {
  await system?.stop();
});

/** A W3C traceparent of our own, so the request's trace id is known (the gateway continues it). */
function newTraceparent(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

const BOOK = `mutation BookingForTracingTest($input: BookAppointmentInput!) {
  bookAppointment(input: $input) { __typename ... on AppointmentBooked { appointment { id } } } }`;

/** A free slot the patient has no appointment at the same time as. */
async function freeSlotFor(clientId: string): Promise<string> {
  const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
  try {
    const busy = await db.appointment.findMany({ where: { clientId }, select: { start: true } });
    const slot = await db.slot.findFirstOrThrow({
      where: { status: 'free', start: { gt: new Date(), notIn: busy.map((row) => row.start) } },
      orderBy: { start: 'asc' },
    });
    return slot.id;
  } finally {
    await db.$disconnect();
  }
}

async function seededPatient(): Promise<string> {
  const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
  try {
    return (await db.appointment.findFirstOrThrow()).clientId;
  } finally {
    await db.$disconnect();
  }
}

/** Waits until Jaeger holds spans of the trace that satisfy `complete`, and returns the trace. */
function traceWhen(traceId: string, complete: (trace: JaegerTrace) => boolean): Promise<JaegerTrace> {
  return eventually(async () => {
    const trace = await jaegerTrace(queryUrl, traceId);
    return trace && complete(trace) ? trace : undefined;
  }, 120_000);
}

const spansOf = (trace: JaegerTrace, service: string) =>
  trace.spans.filter((span) => serviceOf(trace, span) === service);
const named = (spans: JaegerSpan[], name: string) => spans.filter((span) => span.operationName === name);
const isSql = (span: JaegerSpan) =>
  tag(span, 'db.system') === 'postgresql' || tag(span, 'db.system.name') === 'postgresql';
const parentOf = (span: JaegerSpan) => span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID;

describe('one booking through the gateway is one trace', () => {
  it('holds the gateway, the appointments subgraph and its SQL, the relay publish and the audit consumer append', async () => {
    const clientId = await seededPatient();
    const { traceId, traceparent } = newTraceparent();
    const { body } = await system.graphql(BOOK, {
      token: await system.token({ role: 'Patient', subject: clientId }),
      variables: { input: { slotId: await freeSlotFor(clientId), idempotencyKey: randomUUID() } },
      headers: { traceparent },
    });
    expect(body.data?.['bookAppointment']).toMatchObject({ __typename: 'AppointmentBooked' });

    const appointmentsTopic = TOPICS.appointments.name;
    const trace = await traceWhen(
      traceId,
      // Every process's spans, as each exports on its own schedule.
      (candidate) =>
        named(spansOf(candidate, 'audit'), `process ${appointmentsTopic}`).length > 0 &&
        spansOf(candidate, 'audit').some(isSql) &&
        named(spansOf(candidate, 'appointments'), `publish ${appointmentsTopic}`).length > 0 &&
        named(spansOf(candidate, 'gateway'), 'graphql.subgraph.operation').length > 0,
    );
    expect(new Set(trace.spans.map((span) => span.traceID))).toEqual(new Set([traceId]));

    // The gateway: its HTTP span, Apollo's phases under the shared graphql.* names, one subgraph fetch.
    const gateway = spansOf(trace, 'gateway');
    const gatewayNames = new Set(gateway.map((span) => span.operationName));
    for (const name of [
      'graphql.parse',
      'graphql.validate',
      'graphql.plan',
      'graphql.execute',
      'graphql.subgraph.operation',
    ])
      expect(gatewayNames).toContain(name);
    expect(gateway.some((span) => tag(span, 'span.kind') === 'server')).toBe(true);
    const hash = createHash('sha256').update(BOOK).digest('hex');
    for (const span of named(gateway, 'graphql.execute')) {
      expect(tag(span, 'graphql.operation.name')).toBe('bookAppointment');
      expect(tag(span, 'graphql.operation.type')).toBe('mutation');
      expect(tag(span, 'graphql.document.hash')).toBe(hash);
    }
    expect(
      named(gateway, 'graphql.subgraph.operation').map((span) => tag(span, 'graphql.subgraph.name')),
    ).toContain('appointments');

    // The appointments subgraph: its HTTP server span (a child of the gateway's fetch), its GraphQL
    // execution and SQL, and the relay's PRODUCER span continuing the trace the outbox row kept.
    const appointments = spansOf(trace, 'appointments');
    const server = appointments.find((span) => tag(span, 'span.kind') === 'server');
    expect(server).toBeDefined();
    expect(gateway.map((span) => span.spanID)).toContain(
      trace.spans.find((span) => span.spanID === parentOf(server as JaegerSpan))?.spanID,
    );
    expect(
      named(appointments, 'graphql.execute').map((span) => tag(span, 'graphql.operation.name')),
    ).toContain('bookAppointment');
    expect(appointments.filter(isSql).length).toBeGreaterThan(0);
    const publish = named(appointments, `publish ${appointmentsTopic}`);
    expect(publish.map((span) => tag(span, 'span.kind'))).toContain('producer');

    // The audit consumer: a CONSUMER span, a child of that publish span, with the append's SQL under it.
    const process = named(spansOf(trace, 'audit'), `process ${appointmentsTopic}`);
    expect(process.map((span) => tag(span, 'span.kind'))).toContain('consumer');
    expect(process.map(parentOf)).toEqual(expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{16}$/)]));
    expect(publish.map((span) => span.spanID)).toEqual(expect.arrayContaining(process.map(parentOf)));
    const processIds = new Set(process.map((span) => span.spanID));
    expect(spansOf(trace, 'audit').some((span) => isSql(span) && processIds.has(parentOf(span) ?? ''))).toBe(
      true,
    );
  });
});

describe('what spans never carry', () => {
  it("has no patient's name, email or phone, no header value and no variable in any span of the run", async () => {
    const staffClinic = await (async () => {
      const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
      try {
        return (await db.slot.findFirstOrThrow()).clinicId;
      } finally {
        await db.$disconnect();
      }
    })();
    const clinicAdmin = await system.token({
      role: 'ClinicAdmin',
      subject: 'staff-admin-1',
      clinicId: staffClinic,
    });
    const person = {
      givenName: 'Philippa',
      familyName: 'Tracewell-Fictional',
      email: 'philippa.tracewell.fictional@example.com',
      phone: '0355501234',
      e164: '+61355501234',
    };
    // Markers a caller sends: in headers, in variables, and as the name it gives its operation.
    const marker = `marker${randomBytes(6).toString('hex')}`;
    const headers = (traceparent: string) => ({
      traceparent,
      'user-agent': `agent-${marker}`,
      'x-custom-probe': `header-${marker}`,
      'x-correlation-id': `corr-${marker}`,
    });
    const traceIds: string[] = [];
    const send = async (query: string, token: string, variables: Record<string, unknown>) => {
      const { traceId, traceparent } = newTraceparent();
      traceIds.push(traceId);
      const response = await system.graphql(query, { token, variables, headers: headers(traceparent) });
      if (response.body.errors)
        throw new Error(JSON.stringify(response.body.errors.map((e) => e.extensions)));
      return response.body.data ?? {};
    };

    // A registration, by the clinic's admin.
    const registered = await send(
      `mutation Register${marker}($input: RegisterPatientInput!) { registerPatient(input: $input) {
        __typename ... on PatientRegistered { patient { clientId } } } }`,
      clinicAdmin,
      {
        input: {
          givenName: person.givenName,
          familyName: person.familyName,
          dateOfBirth: '1979-05-17',
          email: person.email,
          phone: person.phone,
          address: '7 Imaginary Crescent, Carlton',
          preferredChannel: 'email',
          idempotencyKey: `key-${marker}-1`,
        },
      },
    );
    const clientId = (registered['registerPatient'] as { patient: { clientId: string } }).patient.clientId;
    const patient = await system.token({ role: 'Patient', subject: clientId });
    // A booking by that patient.
    const booked = await send(BOOK, patient, {
      input: { slotId: await freeSlotFor(clientId), idempotencyKey: `key-${marker}-2` },
    });
    expect(booked['bookAppointment']).toMatchObject({ __typename: 'AppointmentBooked' });
    // Contact details read: the patient's own, then staff finding them by email and by phone.
    const me = await send('{ me { profile { givenName familyName email phone address } } }', patient, {});
    expect(me['me']).toMatchObject({ profile: { email: person.email } });
    for (const variables of [{ email: person.email.toUpperCase() }, { phone: person.phone }]) {
      const found = await send(
        `query Find${marker}($email: String, $phone: String) { findPatient(email: $email, phone: $phone) {
          clientId profile { email phone } } }`,
        clinicAdmin,
        variables,
      );
      expect(found['findPatient']).not.toBeNull();
    }

    // Every request's trace is in Jaeger (the positive control), the booking's with its audit consumer.
    for (const traceId of traceIds) await traceWhen(traceId, (trace) => trace.spans.length > 3);
    await traceWhen(traceIds[1] as string, (trace) =>
      spansOf(trace, 'audit').some((span) => span.operationName.startsWith('process ')),
    );
    const traces = await jaegerTracesSince(queryUrl, startedAt);
    const ours = new Set(traces.map((trace) => trace.traceID));
    for (const traceId of traceIds) expect(ours).toContain(traceId);
    const texts = traces.flatMap((trace) => [
      ...trace.spans.flatMap(spanTexts),
      ...Object.values(trace.processes).flatMap((process) =>
        process.tags.map((kv) => `${kv.key}=${String(kv.value)}`),
      ),
    ]);
    expect(texts.some((text) => text.startsWith('db.') || text.includes('SELECT'))).toBe(true);

    const needles = [
      `${person.givenName} ${person.familyName}`,
      person.givenName,
      person.familyName,
      person.email,
      person.phone,
      person.e164,
      person.e164.slice(1),
      '5550 1234',
      '7 Imaginary Crescent',
      marker, // headers, variables and operation names all carry it
      patient.slice(0, 40), // the bearer token
      clinicAdmin.slice(0, 40),
    ].map((needle) => needle.toLowerCase());
    const hits = texts.filter((text) => needles.some((needle) => text.toLowerCase().includes(needle)));
    expect(hits).toEqual([]);
  });
});
