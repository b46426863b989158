import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { createClient } from 'graphql-sse';
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

/** A caller's own W3C traceparent, sampled: the gateway must ignore it. */
function callerTraceparent(traceId = randomBytes(16).toString('hex')): string {
  return `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
}

/** The trace the gateway started for a request, from its `traceresponse` header. */
function traceIdOf(headers: Headers): string {
  const match = /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(headers.get('traceresponse') ?? '');
  if (!match?.[1]) throw new Error(`no traceresponse header: ${headers.get('traceresponse')}`);
  return match[1];
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
    const { body, headers } = await system.graphql(BOOK, {
      token: await system.token({ role: 'Patient', subject: clientId }),
      variables: { input: { slotId: await freeSlotFor(clientId), idempotencyKey: randomUUID() } },
    });
    expect(body.data?.['bookAppointment']).toMatchObject({ __typename: 'AppointmentBooked' });
    const traceId = traceIdOf(headers);

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
    // A child of the gateway's graphql.subgraph.operation span itself: the fetch carries its context, so
    // no http client span is added per fetch (docs/tracing.md, "Cost").
    expect(named(gateway, 'graphql.subgraph.operation').map((span) => span.spanID)).toContain(
      parentOf(server as JaegerSpan),
    );
    expect(gateway.filter((span) => tag(span, 'span.kind') === 'client')).toEqual([]);
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

describe("the public edge ignores a caller's trace context", () => {
  it('neither samples a request because its traceparent says so nor stores the trace id the caller chose', async () => {
    // A second gateway that keeps no trace of its own (ratio 0) in front of the same subgraphs, which
    // follow whatever their caller decided (parentbased_always_on). A caller's sampled traceparent used
    // to force the whole request, subgraph, SQL, publish and consumers included, into the trace store.
    const edge = await system.startPod('gateway', {
      OTEL_SERVICE_NAME: 'gateway-ratio-zero',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
    });
    const edgeUrl = `http://127.0.0.1:${edge.port}/graphql`;
    // Low bytes zero: even a ratio sampler at the root would keep this id.
    const crafted = `${randomBytes(8).toString('hex')}0000000000000000`;
    const attackStarted = Date.now();
    const clientId = await seededPatient();
    const token = await system.token({ role: 'Patient', subject: clientId });
    const attack = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(edgeUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          traceparent: callerTraceparent(crafted),
          tracestate: `vendor=${crafted}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, unknown> };
      // A trace of our own, not sampled (ratio 0), whatever the caller sent.
      expect(response.headers.get('traceresponse')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
      expect(traceIdOf(response.headers)).not.toBe(crafted);
      return body.data ?? {};
    };
    const booked = await attack(BOOK, {
      input: { slotId: await freeSlotFor(clientId), idempotencyKey: randomUUID() },
    });
    expect(booked['bookAppointment']).toMatchObject({ __typename: 'AppointmentBooked' });
    expect(await attack('{ me { clientId } }', {})).toMatchObject({ me: { clientId } });
    // Its last spans flushed (stopping sends what is queued); then a booking through the sampled gateway,
    // after the attack, reaches Jaeger with its audit consumer: the subgraphs' exports of the attack's
    // spans, had there been any, were sent before it.
    expect(await edge.stop()).toBe(0);
    const control = await system.graphql(BOOK, {
      token,
      variables: { input: { slotId: await freeSlotFor(clientId), idempotencyKey: randomUUID() } },
    });
    expect(control.body.data?.['bookAppointment']).toMatchObject({ __typename: 'AppointmentBooked' });
    await traceWhen(traceIdOf(control.headers), (trace) =>
      spansOf(trace, 'audit').some((span) => span.operationName.startsWith('process ')),
    );

    expect(await jaegerTrace(queryUrl, crafted)).toBeUndefined();
    const traces = await jaegerTracesSince(queryUrl, attackStarted);
    expect(traces.flatMap((trace) => Object.values(trace.processes).map((p) => p.serviceName))).not.toContain(
      'gateway-ratio-zero',
    );
    const texts = traces.flatMap((trace) => [
      trace.traceID,
      ...trace.spans.flatMap((span) => [
        ...spanTexts(span),
        ...span.references.map((reference) => reference.traceID),
      ]),
    ]);
    expect(texts.filter((text) => text.includes(crafted))).toEqual([]);
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
      const response = await system.graphql(query, {
        token,
        variables,
        headers: headers(callerTraceparent()),
      });
      if (response.body.errors)
        throw new Error(JSON.stringify(response.body.errors.map((e) => e.extensions)));
      traceIds.push(traceIdOf(response.headers));
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

    // The other transport: a live subscription over SSE, its operation name, variables and headers all
    // carrying the marker, held until the stream is open.
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const live = createClient({
      url: system.gatewayUrl,
      singleConnection: false,
      retryAttempts: 0,
      headers: { 'x-custom-probe': `sse-${marker}`, 'user-agent': `sse-agent-${marker}` },
      on: { connected: () => opened() },
    });
    const unsubscribe = live.subscribe(
      {
        query: `subscription Live${marker}($from: DateTime!, $to: DateTime!) {
          slotAvailabilityChanged(from: $from, to: $to) { __typename } }`,
        variables: { from: new Date().toISOString(), to: new Date(Date.now() + 7 * 864e5).toISOString() },
      },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await open;
    unsubscribe();
    live.dispose();

    // A path nobody serves and a Host header, both typed by the caller (the server span records both).
    const stray = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const gateway = new URL(system.gatewayUrl);
      http
        .get(
          {
            host: gateway.hostname,
            port: gateway.port,
            path: `/graphql/${person.email}-${marker}?q=${marker}`,
            headers: { host: `${person.givenName}-${marker}.example.com` },
            agent: false,
          },
          resolve,
        )
        .on('error', reject);
    });
    stray.resume();
    expect(stray.statusCode).toBeLessThan(500);
    const strayTrace = /^00-([0-9a-f]{32})-/.exec(String(stray.headers['traceresponse']))?.[1];
    if (!strayTrace) throw new Error('the stray request got no traceresponse header');

    // Every request's trace is in Jaeger (the positive control), the booking's with its audit consumer.
    for (const traceId of traceIds) await traceWhen(traceId, (trace) => trace.spans.length > 3);
    await traceWhen(strayTrace, (trace) => trace.spans.length > 0);
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
      marker, // headers, variables, operation names (over HTTP and SSE), a path and a Host header carry it
      patient.slice(0, 40), // the bearer token
      clinicAdmin.slice(0, 40),
    ].map((needle) => needle.toLowerCase());
    const hits = texts.filter((text) => needles.some((needle) => text.toLowerCase().includes(needle)));
    expect(hits).toEqual([]);
  });
});
