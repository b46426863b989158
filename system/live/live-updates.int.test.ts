import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { DATABASE_NAMES, databaseUrlVariable, type EventEnvelope } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { createTestDatabases, realInfra, type TestDatabases, eventually } from '@clinic/testing';
import { createClient, type Client, type ExecutionResult } from 'graphql-sse';
import { startTestSystem, type TestSystem } from '../test-system';

let databases: TestDatabases;
let system: TestSystem;
const clients: Client[] = [];

interface SeededAppointment {
  id: string;
  clientId: string;
  start: string;
  end: string;
  slot: { id: string };
  doctor: { id: string; clinic: { id: string } };
}
let appointments: SeededAppointment[];
let freeSlots: { id: string; start: string; end: string; doctor: { id: string; clinic: { id: string } } }[];
const from = new Date(Date.now() - 864e5).toISOString();
const to = new Date(Date.now() + 30 * 864e5).toISOString();

beforeAll(async () => {
  databases = await createTestDatabases();
  system = await startTestSystem(
    {},
    {
      ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
      KAFKA_BROKERS: realInfra().kafkaBrokers.join(','),
      KAFKA_GROUP_PREFIX: `live-${randomUUID()}-`,
      // This file's own streams: other tests publish slot changes on the shared topics.
      KAFKA_TOPIC_PREFIX: `live-${randomUUID()}-`,
      // Small, so the slow-client test fills it quickly; kernel socket buffers come on top of it.
      GATEWAY_LIVE_MAX_BUFFERED_BYTES: String(64 * 1024),
      // Short, so the heartbeat test sees a few.
      GATEWAY_LIVE_HEARTBEAT_MS: '300',
    },
  );
  const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-live-test' });
  const booked = await system.graphql(
    `{ appointments(first: 60) { id clientId start end slot { id } doctor { id clinic { id } } } }`,
    { token: admin },
  );
  if (!booked.body.data) throw new Error(`seeded appointments: ${JSON.stringify(booked.body.errors)}`);
  appointments = booked.body.data['appointments'] as SeededAppointment[];
  const free = await system.graphql(
    `query($from: DateTime!, $to: DateTime!) { freeSlots(from: $from, to: $to, first: 50) { id start end doctor { id clinic { id } } } }`,
    { variables: { from: new Date().toISOString(), to } },
  );
  freeSlots = free.body.data?.['freeSlots'] as typeof freeSlots;
}, 600_000);

afterAll(async () => {
  for (const client of clients) client.dispose();
  await system?.stop();
  await databases?.drop();
});

/** A graphql-sse client whose subscription is registered at the gateway once `ready` resolves. */
async function subscribe(
  query: string,
  options: { token?: string; variables?: Record<string, unknown>; singleConnection?: boolean } = {},
) {
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url: system.gatewayUrl,
    singleConnection: options.singleConnection ?? false,
    headers: (): Record<string, string> =>
      options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: 0,
    on: { connected: () => connected() },
  });
  clients.push(client);
  const received: ExecutionResult<Record<string, unknown>, unknown>[] = [];
  const failures: unknown[] = [];
  const stop = client.subscribe(
    { query, variables: options.variables ?? {} },
    {
      next: (result) => void received.push(result),
      error: (error) => void failures.push(error),
      complete: () => undefined,
    },
  );
  await ready;
  // In single-connection mode the stream opens before the operation is registered: a query on the same
  // stream, answered after it, shows that it is.
  if (options.singleConnection) await client.iterate({ query: '{ __typename }' }).next();
  return { received, failures, stop, client };
}

function slotChanged(
  slot: (typeof freeSlots)[number],
  status: 'free' | 'busy',
  key = slot.id,
): EventEnvelope {
  return createEvent({
    type: 'slot.changed',
    aggregateId: key,
    actor: { role: 'System', subject: 'live-test' },
    payload: {
      slotId: slot.id,
      doctorId: slot.doctor.id,
      clinicId: slot.doctor.clinic.id,
      start: slot.start,
      end: slot.end,
      status,
    },
  });
}

function appointmentEvent(
  appointment: SeededAppointment,
  type: 'appointment.booked' | 'appointment.cancelled',
  key = appointment.id,
): EventEnvelope {
  return createEvent({
    type,
    aggregateId: key,
    actor: { role: 'System', subject: 'live-test' },
    payload: {
      appointmentId: appointment.id,
      slotId: appointment.slot.id,
      doctorId: appointment.doctor.id,
      clinicId: appointment.doctor.clinic.id,
      clientId: appointment.clientId,
      start: appointment.start,
      end: appointment.end,
    },
  });
}

const SLOT_SUBSCRIPTION = `subscription($from: DateTime!, $to: DateTime!) {
  slotAvailabilityChanged(from: $from, to: $to) { slotId status slot { start doctor { name clinic { name } } } }
}`;

const MY_UPDATES = `subscription {
  myAppointmentUpdates {
    kind appointmentId
    appointment { clientId start doctor { name clinic { name } } patient { clientId preferredChannel } history { action } }
  }
}`;

describe('live updates over graphql-sse, fed by Kafka', () => {
  it('resolves fields of four subgraphs on every event, in both graphql-sse modes', async () => {
    const byPatient = new Map<string, SeededAppointment[]>();
    for (const appointment of appointments)
      byPatient.set(appointment.clientId, [...(byPatient.get(appointment.clientId) ?? []), appointment]);
    const [clientId, own] = [...byPatient.entries()].find(([, list]) => list.length >= 2) ?? [];
    expect(own).toBeDefined();
    const token = await system.token({ role: 'Patient', subject: clientId ?? '' });
    const distinct = await subscribe(MY_UPDATES, { token });
    const single = await subscribe(MY_UPDATES, { token, singleConnection: true });
    const events = (own ?? [])
      .slice(0, 2)
      .map((appointment, index) =>
        appointmentEvent(appointment, index === 0 ? 'appointment.booked' : 'appointment.cancelled'),
      );
    await system.bus.publish('appointments', events);
    for (const stream of [distinct, single]) {
      await eventually(async () => (stream.received.length >= 2 ? true : undefined));
      expect(stream.received.map((result) => result.errors)).toEqual([undefined, undefined]);
      const updates = stream.received.map((result) => result.data?.['myAppointmentUpdates']) as {
        kind: string;
        appointmentId: string;
        appointment: {
          clientId: string;
          doctor: { name: string; clinic: { name: string } };
          patient: { clientId: string; preferredChannel: string };
          history: unknown[];
        };
      }[];
      expect(updates.map((update) => update.kind).sort()).toEqual(['booked', 'cancelled']);
      for (const update of updates) {
        expect(update.appointment.clientId).toBe(clientId);
        expect(update.appointment.doctor.name).toMatch(/^Dr /); // doctors
        expect(update.appointment.doctor.clinic.name).toEqual(expect.any(String));
        expect(update.appointment.patient).toEqual({ clientId, preferredChannel: expect.any(String) }); // patients
        expect(Array.isArray(update.appointment.history)).toBe(true); // audit
      }
    }
  });

  it("never carries another patient's update on a patient's stream", async () => {
    const [mine, theirs] = (() => {
      const first = appointments[0] as SeededAppointment;
      return [
        first,
        appointments.find((appointment) => appointment.clientId !== first.clientId) as SeededAppointment,
      ];
    })();
    const me = await subscribe(MY_UPDATES, {
      token: await system.token({ role: 'Patient', subject: mine.clientId }),
    });
    const them = await subscribe(MY_UPDATES, {
      token: await system.token({ role: 'Patient', subject: theirs.clientId }),
    });
    // One key puts both on one partition, in order: when mine arrives, theirs has been fanned out already.
    const key = randomUUID();
    await system.bus.publish('appointments', [
      appointmentEvent(theirs, 'appointment.booked', key),
      appointmentEvent(mine, 'appointment.booked', key),
    ]);
    await eventually(async () => (me.received.length >= 1 && them.received.length >= 1 ? true : undefined));
    const text = JSON.stringify(me.received);
    expect(me.received).toHaveLength(1);
    expect(text).toContain(mine.id);
    expect(text).not.toContain(theirs.id);
    expect(text).not.toContain(theirs.clientId);
    expect(JSON.stringify(them.received)).not.toContain(mine.id);
  });

  it('refuses myAppointmentUpdates to anyone but a signed-in patient', async () => {
    const anonymous = await subscribe(MY_UPDATES);
    await eventually(async () => (anonymous.received.length >= 1 ? true : undefined));
    expect(anonymous.received[0]?.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('cuts off a client that stops reading while the others keep receiving', async () => {
    // A large selection, so kernel socket buffers fill after a few dozen events.
    const heavy = `subscription($from: DateTime!, $to: DateTime!) {
      slotAvailabilityChanged(from: $from, to: $to) { slotId slot { doctor {
        a: freeSlots(days: 31) { id start end status } b: freeSlots(days: 30) { id start end status }
      } } }
    }`;
    const fast = await subscribe(heavy, { variables: { from, to } });
    const slow = await openPausedStream(heavy, { from, to });
    const slot = freeSlots[0] as (typeof freeSlots)[number];
    const hub = system.live;
    const cutBefore = hub?.stats.slowConsumersCut ?? 0;
    let sent = 0;
    // Until the gateway cuts the paused client off: its backlog passes the bound once the kernel's socket
    // buffers (a few MB on loopback) are full.
    while ((hub?.stats.slowConsumersCut ?? 0) === cutBefore && sent < 2_000) {
      await system.bus.publish('appointments', [slotChanged(slot, sent % 2 ? 'free' : 'busy', 'slow-test')]);
      sent++;
      await eventually(async () => (fast.received.length >= sent ? true : undefined)).catch(
        (error: unknown) => {
          throw new Error(
            `${String(error)}: ${JSON.stringify({ received: fast.received.slice(-1), failures: fast.failures })}`,
          );
        },
      );
    }
    expect(hub?.stats.slowConsumersCut).toBe(cutBefore + 1);
    const tail = await slow.readToEnd();
    expect(tail).toContain('SLOW_CONSUMER');
    expect(tail.split('event: next').length - 1).toBeLessThan(sent + 1);
    await system.bus.publish('appointments', [slotChanged(slot, 'free', 'slow-test')]);
    await eventually(async () => (fast.received.length >= sent + 1 ? true : undefined));
    expect(fast.received.every((result) => !result.errors)).toBe(true);
  });

  it('delivers new events to a client that reconnects', async () => {
    const slot = freeSlots[1] as (typeof freeSlots)[number];
    const first = await subscribe(SLOT_SUBSCRIPTION, { variables: { from, to } });
    await system.bus.publish('appointments', [slotChanged(slot, 'busy')]);
    await eventually(async () => (first.received.length >= 1 ? true : undefined));
    first.client.dispose();
    const again = await subscribe(SLOT_SUBSCRIPTION, { variables: { from, to } });
    await system.bus.publish('appointments', [slotChanged(slot, 'free')]);
    await eventually(async () => (again.received.length >= 1 ? true : undefined));
    expect(again.received[0]?.data?.['slotAvailabilityChanged']).toEqual({
      slotId: slot.id,
      status: 'free',
      slot: {
        start: slot.start,
        doctor: { name: expect.stringMatching(/^Dr /), clinic: { name: expect.any(String) } },
      },
    });
    expect(first.received).toHaveLength(1);
  });

  // Last in this block: a doctor set unavailable has their appointments re-assigned.
  it('tells a clinic’s subscribers when one of its doctors becomes unavailable, through the doctors outbox', async () => {
    const slot = freeSlots[0] as (typeof freeSlots)[number];
    const stream = await subscribe(
      `subscription($clinicId: ID!) {
        doctorStatusChanged(clinicId: $clinicId) { doctorId status doctor { name clinic { name } } }
      }`,
      { variables: { clinicId: slot.doctor.clinic.id } },
    );
    const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-live-status' });
    const set = await system.graphql(
      `mutation($input: SetDoctorStatusInput!) {
        setDoctorStatus(input: $input) { __typename }
      }`,
      {
        token: admin,
        variables: {
          input: { doctorId: slot.doctor.id, status: 'unavailable', idempotencyKey: 'live-status-1' },
        },
      },
    );
    expect(set.body.data?.['setDoctorStatus']).toEqual({ __typename: 'DoctorStatusSet' });
    await eventually(async () => (stream.received.length >= 1 ? true : undefined));
    expect(stream.received[0]?.data?.['doctorStatusChanged']).toEqual({
      doctorId: slot.doctor.id,
      status: 'unavailable',
      doctor: { name: expect.stringMatching(/^Dr /), clinic: { name: expect.any(String) } },
    });
    expect(stream.failures).toEqual([]);
  });
});

describe('heartbeats', () => {
  it('sends a quiet stream an SSE comment every period, so proxies keep it open', async () => {
    // A window long past: no slot event of the other tests can match it.
    const stream = await openPausedStream(SLOT_SUBSCRIPTION, {
      from: '2001-01-01T00:00:00Z',
      to: '2001-01-02T00:00:00Z',
    });
    // Every comment is ":" alone on its line: the opening one, then at least one heartbeat.
    let text = '';
    await eventually(async () => {
      text += await stream.readAvailable();
      return text.split(':\n\n').length - 1 >= 2 ? true : undefined;
    }, 30_000);
    // No event arrived, so nothing else.
    expect(text).not.toContain('event:');
  });
});

describe('graceful shutdown', () => {
  it('ends every open stream without completing it, so clients reconnect elsewhere', async () => {
    const stream = await openPausedStream(SLOT_SUBSCRIPTION, { from, to });
    const ended = stream.readToEnd();
    await system.stop();
    const tail = await ended;
    expect(tail).toContain('the gateway is stopping; reconnect');
    expect(tail).not.toContain('event: complete');
  });
});

/** A distinct-connection stream whose client reads nothing until asked to. */
async function openPausedStream(query: string, variables: Record<string, unknown>) {
  const url = new URL(system.gatewayUrl);
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', headers: { accept: 'text/event-stream', 'content-type': 'application/json' } },
      resolve,
    );
    request.on('error', reject);
    request.end(JSON.stringify({ query, variables }));
  });
  expect(response.statusCode).toBe(200);
  // Read the opening comment, so the subscription is known to be registered, then stop reading.
  await new Promise((resolve) => response.once('data', resolve));
  response.pause();
  return {
    /** What has arrived so far, without waiting for the end. */
    readAvailable: async () => {
      let text = '';
      response.setEncoding('utf8');
      for (
        let chunk = response.read() as string | null;
        chunk !== null;
        chunk = response.read() as string | null
      )
        text += chunk;
      return text;
    },
    readToEnd: () =>
      new Promise<string>((resolve) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text = (text + chunk).slice(-20_000)));
        response.on('end', () => resolve(text));
        response.on('error', () => resolve(text));
        response.resume();
      }),
  };
}
