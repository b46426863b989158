import { randomUUID } from 'node:crypto';
import { createClient, type Client as SseClient } from 'graphql-sse';
import { connectAppointmentsDatabase, type AppointmentsDatabase } from '@clinic/appointments-subgraph';
import { eventually } from '@clinic/testing';
import type { PodSystem } from '../testing/pods';
import type { RoundRobinProxy } from '../testing/round-robin-proxy';
import { steadyLoad } from '../testing/steady-load';
import { startTwoReplicas } from '../testing/two-replicas';

/**
 * A rolling update of the gateway under load, as in production: two gateway processes (and one of each
 * subgraph) on real PostgreSQL and Kafka behind a round-robin proxy that health-checks `/readyz` like an
 * ALB. One gateway gets SIGTERM while a client sends public reads at 200 a second and 50 others hold
 * live subscriptions. Nothing may fail, and every subscriber must end up on the other gateway, hearing
 * the next slot change.
 */

const RATE = 200;
const SECONDS = 20;
const SUBSCRIBERS = 50;

let system: PodSystem;
let proxy: RoundRobinProxy;
let db: AppointmentsDatabase;

beforeAll(async () => {
  ({ system, proxy } = await startTwoReplicas('gateway'));
  db = connectAppointmentsDatabase(system.databaseUrls.appointments);
});

afterAll(async () => {
  await db?.$disconnect();
  await proxy?.close();
  await system?.stop();
});

/** Books a free slot for a patient with none at that time, through the proxy; returns the slot's id. */
async function changeASlot(): Promise<string> {
  const clientId = (await db.appointment.findFirstOrThrow()).clientId;
  const busy = await db.appointment.findMany({ where: { clientId }, select: { start: true } });
  const slot = await db.slot.findFirstOrThrow({
    where: { status: 'free', start: { gt: new Date(), notIn: busy.map((row) => row.start) } },
    orderBy: { start: 'asc' },
  });
  const response = await fetch(proxy.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await system.token({ role: 'Patient', subject: clientId })}`,
    },
    body: JSON.stringify({
      query: `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }`,
      variables: { input: { slotId: slot.id, idempotencyKey: `drain-${randomUUID()}` } },
    }),
  });
  const body = (await response.json()) as { data?: { bookAppointment?: { __typename: string } } };
  expect(body.data?.bookAppointment?.__typename).toBe('AppointmentBooked');
  return slot.id;
}

interface Subscriber {
  slotIds: string[];
  connections: number;
  errors: string[];
  completed: boolean;
  unsubscribe(): void;
}

it('SIGTERM to one of two gateways under load: no request fails, every subscriber moves to the other one', async () => {
  const from = new Date().toISOString();
  const to = new Date(Date.now() + 30 * 864e5).toISOString();
  // The library's own reconnect: a stream that ends without `complete` is a network error, retried.
  const client: SseClient = createClient({ url: proxy.graphqlUrl, retryAttempts: 20 });
  const subscribers: Subscriber[] = Array.from({ length: SUBSCRIBERS }, () => {
    const subscriber: Subscriber = {
      slotIds: [],
      connections: 0,
      errors: [],
      completed: false,
      unsubscribe: () => undefined,
    };
    subscriber.unsubscribe = client.subscribe<{ slotAvailabilityChanged: { slotId: string } }>(
      {
        query: `subscription($from: DateTime!, $to: DateTime!) {
          slotAvailabilityChanged(from: $from, to: $to) { slotId status }
        }`,
        variables: { from, to },
      },
      {
        next: (result) => {
          const slotId = result.data?.slotAvailabilityChanged.slotId;
          if (slotId) subscriber.slotIds.push(slotId);
          else subscriber.errors.push(JSON.stringify(result.errors));
        },
        error: (error) => subscriber.errors.push(String(error)),
        complete: () => (subscriber.completed = true),
      },
      { connected: () => subscriber.connections++ },
    );
    return subscriber;
  });
  const [first, other] = proxy.backends as [(typeof proxy.backends)[0], (typeof proxy.backends)[0]];
  try {
    await eventually(async () => (first.streamsOpen + other.streamsOpen === SUBSCRIBERS ? true : undefined));
    // Both gateways hold streams (round robin), and each subscriber hears a change before the drain.
    expect(first.streamsOpen).toBeGreaterThan(0);
    expect(other.streamsOpen).toBeGreaterThan(0);
    const before = await changeASlot();
    await eventually(async () => (subscribers.every((s) => s.slotIds.includes(before)) ? true : undefined));

    const load = steadyLoad({
      url: proxy.graphqlUrl,
      body: () => ({
        query: `query($from: DateTime!, $to: DateTime!) { freeSlots(from: $from, to: $to, first: 5) { id start } }`,
        variables: { from, to },
      }),
      perSecond: RATE,
      total: RATE * SECONDS,
    });
    // A third of the way in, the first gateway is told to stop, as a rollout would.
    await eventually(async () => (load.answered() >= (RATE * SECONDS) / 3 ? true : undefined));
    const exited = system.pods.gateway.stop();
    // Its readiness went 503 first (the proxy stopped choosing it), and its streams moved.
    await eventually(async () =>
      !first.healthy && first.streamsOpen === 0 && other.streamsOpen === SUBSCRIBERS ? true : undefined,
    );
    expect(await exited).toBe(0);
    const outcome = await load.done;

    expect({
      sent: outcome.sent,
      ok: outcome.ok,
      unanswered: outcome.unanswered,
      serverErrors: outcome.serverErrors,
      errors: Object.fromEntries(outcome.errorCodes),
      examples: outcome.examples,
    }).toEqual({
      sent: RATE * SECONDS,
      ok: RATE * SECONDS,
      unanswered: 0,
      serverErrors: 0,
      errors: {},
      examples: [],
    });
    expect([...proxy.stats.statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(proxy.stats.failed).toBe(0);
    // Its /readyz said 503 before it stopped accepting: the balancer had turned from it by then (a
    // refusal is only possible if the other one's checks also failed, which makes the proxy fail open).
    expect(first.turnedUnhealthyAt).not.toBeNull();
    expect(first.turnedUnhealthyAt ?? 0).toBeLessThan(first.firstRefusedAt ?? Infinity);
    // Both gateways served the load: the drain happened under it, not after it.
    expect(first.requests).toBeGreaterThan(0);

    // A slot changes after the drain: every subscriber hears it, through the gateway still running.
    const after = await changeASlot();
    await eventually(async () => (subscribers.every((s) => s.slotIds.includes(after)) ? true : undefined));
    for (const subscriber of subscribers) {
      expect({ errors: subscriber.errors, completed: subscriber.completed }).toEqual({
        errors: [],
        completed: false,
      });
    }
    // Those that were on the stopped gateway connected again (the others never had to).
    expect(subscribers.filter((s) => s.connections >= 2).length).toBeGreaterThan(0);
    expect(other.streamsOpened).toBeGreaterThanOrEqual(SUBSCRIBERS);
  } finally {
    for (const subscriber of subscribers) subscriber.unsubscribe();
    client.dispose();
  }
});
