import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postGraphQL } from '@clinic/testing';
import { DateTime } from 'luxon';
import { startGatewayAlone } from '../../gateway/src/testing/gateway-alone';
import type { RunningGateway } from '../../gateway/src/gateway';
import { startTestSystem, type TestSystem } from '../test-system';

/**
 * An entity fetch sends each distinct representation once (gateway/src/federation/
 * deduplicate-representations.ts). Seen from outside: a second gateway reaches the doctors subgraph
 * through a proxy that records what it is asked, and every slot of the page must still carry its own
 * doctor, as that doctor reads on its own.
 */
let system: TestSystem;
let gateway: RunningGateway;
let proxy: Server;
const entityRequests: unknown[][] = [];

beforeAll(async () => {
  system = await startTestSystem({ clinics: 2, doctors: 6, appointments: 0 });
  const doctorsUrl = new URL(system.subgraphUrls.doctors);
  proxy = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const representations = (JSON.parse(body.toString()) as { variables?: { representations?: unknown[] } })
        .variables?.representations;
      if (representations) entityRequests.push(representations);
      const headers = Object.fromEntries(
        Object.entries(incoming.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
        ),
      );
      void fetch(doctorsUrl, { method: 'POST', headers, body }).then(async (answer) => {
        outgoing.writeHead(answer.status, { 'content-type': 'application/json' });
        outgoing.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  gateway = await startGatewayAlone({
    subgraphs: {
      ...system.subgraphUrls,
      doctors: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`,
    },
    internalIdentitySecret: system.internalIdentitySecret,
  });
}, 600_000);
afterAll(async () => {
  await gateway?.stop();
  proxy?.close();
  await system?.stop();
});

const PAGE = `query Page($f: AvailableSlotsFilter!) {
  availableSlots(filter: $f, first: 40) {
    edges { node { id start doctor { id name specialty clinic { id name timeZone } } } }
  }
}`;

const DOCTOR = `query Doctor($id: ID!) { doctor(id: $id) { id name specialty clinic { id name timeZone } } }`;

type Doctor = { id: string; name: string; specialty: string; clinic: { id: string } };

it('asks for each doctor of a page once, and gives every slot its own doctor', async () => {
  const { body: clinics } = await postGraphQL(gateway.url, '{ clinics { id } }');
  const clinicId = (clinics.data?.['clinics'] as { id: string }[])[0]?.id;
  const day = DateTime.now().setZone('Australia/Sydney').plus({ days: 1 });
  entityRequests.length = 0;
  const { body } = await postGraphQL(gateway.url, PAGE, {
    variables: {
      f: { clinicId, fromDate: day.toISODate(), toDate: day.plus({ days: 2 }).toISODate() },
    },
  });
  expect(body.errors).toBeUndefined();
  const slots = (body.data?.['availableSlots'] as { edges: { node: { doctor: Doctor } }[] }).edges.map(
    (edge) => edge.node,
  );
  const doctorIds = [...new Set(slots.map((slot) => slot.doctor.id))];
  // A page that repeats its doctors, or there is nothing to show.
  expect(slots.length).toBe(40);
  expect(doctorIds.length).toBeGreaterThan(1);
  expect(doctorIds.length).toBeLessThan(slots.length);

  expect(entityRequests).toHaveLength(1);
  const sent = (entityRequests[0] ?? []).map((representation) => (representation as Doctor).id);
  expect(sent.sort()).toEqual([...doctorIds].sort());

  for (const id of doctorIds) {
    const alone = await postGraphQL(gateway.url, DOCTOR, { variables: { id } });
    const onThePage = slots.filter((slot) => slot.doctor.id === id);
    for (const slot of onThePage) expect(slot.doctor).toEqual(alone.body.data?.['doctor']);
  }
});

it('leaves a caller’s own variable named `representations` as the caller sent it', async () => {
  // Only the planner's entity fetches are deduplicated: a mutation's list of offsets with a repeat must
  // reach the clinic's settings as typed, and answer as it does under any other variable name.
  const { body: clinics } = await postGraphQL(gateway.url, '{ clinics { id } }');
  const clinicId = (clinics.data?.['clinics'] as { id: string }[])[1]?.id;
  const token = await system.token({ role: 'ClinicAdmin', subject: 'admin-dedup', clinicId });
  const set = (name: string) => `mutation($${name}: [Int!]!, $c: ID!, $k: String!) {
    setReminderSettings(input: { clinicId: $c, offsetsMinutes: $${name}, channels: [email], idempotencyKey: $k }) {
      __typename ... on ReminderSettings { offsetsMinutes } ... on InvalidInput { field }
    }
  }`;
  const offsets = [1440, 1440, 120];
  const named = await system.graphql(set('offsets'), {
    token,
    variables: { offsets, c: clinicId, k: randomUUID() },
  });
  const representations = await system.graphql(set('representations'), {
    token,
    variables: { representations: offsets, c: clinicId, k: randomUUID() },
  });
  expect(named.body.errors).toBeUndefined();
  expect(representations.body).toEqual(named.body);
});
