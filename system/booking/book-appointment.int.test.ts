import { connectAppointmentsDatabase, type AppointmentsDatabase } from '@clinic/appointments-subgraph';
import { eventually } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';

let system: TestSystem;
let db: AppointmentsDatabase;

beforeAll(async () => {
  system = await startTestSystem();
  db = connectAppointmentsDatabase(system.databaseUrls.appointments);
}, 600_000);
afterAll(async () => {
  await db?.$disconnect();
  await system?.stop();
});

const book = `mutation Book($input: BookAppointmentInput!) {
  bookAppointment(input: $input) {
    __typename
    ... on AppointmentBooked { appointment { id status clientId reasonForVisit doctor { name } patient { clientId } } }
    ... on SlotUnavailable { slotId message }
    ... on NotAllowed { message }
    ... on InvalidInput { field message }
  }
}`;

type Result = { __typename: string; appointment?: { id: string; clientId: string }; field?: string };

/** The earliest free slot at a time the seeded patient is not already booked (they cannot be in two places). */
async function freeSlotId(): Promise<string> {
  const { clientId } = await patient();
  const busy = await db.appointment.findMany({
    where: { clientId, status: { in: ['pending', 'booked'] } },
    select: { start: true },
  });
  const slot = await db.slot.findFirstOrThrow({
    where: { status: 'free', start: { gt: new Date(), notIn: busy.map((row) => row.start) } },
    orderBy: { start: 'asc' },
  });
  return slot.id;
}

async function patient(): Promise<{ clientId: string; token: string }> {
  const clientId = (await db.appointment.findFirstOrThrow()).clientId;
  return { clientId, token: await system.token({ role: 'Patient', subject: clientId }) };
}

async function bookAs(
  token: string,
  input: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Result> {
  const { body } = await system.graphql(book, { token, variables: { input }, headers });
  expect(body.errors).toBeUndefined();
  return body.data?.['bookAppointment'] as Result;
}

describe('bookAppointment through the gateway', () => {
  it('books a free slot and leaves an audit entry under the request correlation id', async () => {
    const { clientId, token } = await patient();
    const slotId = await freeSlotId();
    const result = await bookAs(
      token,
      { slotId, idempotencyKey: 'book-test-0001', reasonForVisit: 'Check-up' },
      { 'x-correlation-id': 'booking-e2e-1' },
    );
    expect(result.__typename).toBe('AppointmentBooked');
    expect(result.appointment?.clientId).toBe(clientId);
    expect((await db.slot.findUniqueOrThrow({ where: { id: slotId } })).status).toBe('busy');

    const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-1' });
    const trail = await eventually(async () => {
      const { body } = await system.graphql(
        `{ auditTrail(correlationId: "booking-e2e-1") { action subjectId actorRole correlationId } }`,
        { token: admin },
      );
      const entries = body.data?.['auditTrail'] as { action: string }[] | undefined;
      return entries && entries.length >= 2 ? entries : undefined;
    });
    // The booking, and the slot it made busy, under the request's correlation id.
    expect(trail).toHaveLength(2);
    expect(trail).toContainEqual({
      action: 'appointment.booked',
      subjectId: result.appointment?.id,
      actorRole: 'Patient',
      correlationId: 'booking-e2e-1',
    });
    expect(trail).toContainEqual({
      action: 'slot.changed',
      subjectId: slotId,
      actorRole: 'Patient',
      correlationId: 'booking-e2e-1',
    });
    const history = await system.graphql(`query($id: ID!) { appointment(id: $id) { history { action } } }`, {
      token,
      variables: { id: result.appointment?.id },
    });
    expect(history.body.data?.['appointment']).toEqual({ history: [{ action: 'appointment.booked' }] });
  });

  it('answers SlotUnavailable to the second booking of a slot', async () => {
    const { token } = await patient();
    const slotId = await freeSlotId();
    expect((await bookAs(token, { slotId, idempotencyKey: 'first-try-0001' })).__typename).toBe(
      'AppointmentBooked',
    );
    const second = await bookAs(token, { slotId, idempotencyKey: 'second-try-001' });
    expect(second).toMatchObject({ __typename: 'SlotUnavailable', slotId });
  });

  it('lets exactly one of many concurrent attempts at one slot succeed', async () => {
    const { token } = await patient();
    const slotId = await freeSlotId();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => bookAs(token, { slotId, idempotencyKey: `race-${i}-abcdef` })),
    );
    expect(results.filter((r) => r.__typename === 'AppointmentBooked')).toHaveLength(1);
    expect(results.filter((r) => r.__typename === 'SlotUnavailable')).toHaveLength(19);
    expect(await db.appointment.count({ where: { slotId } })).toBe(1);
  });

  it('returns the first outcome when an idempotency key is repeated, and books once', async () => {
    const { token } = await patient();
    const slotId = await freeSlotId();
    const first = await bookAs(token, { slotId, idempotencyKey: 'repeat-key-0001' });
    const again = await bookAs(token, { slotId, idempotencyKey: 'repeat-key-0001' });
    expect(again).toEqual(first);
    expect(await db.appointment.count({ where: { slotId } })).toBe(1);
    const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-1' });
    const trail = async () => {
      const { body } = await system.graphql(`query($id: ID) { auditTrail(subjectId: $id) { action } }`, {
        token: admin,
        variables: { id: first.appointment?.id },
      });
      return body.data?.['auditTrail'] as unknown[];
    };
    await eventually(async () => ((await trail()).length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await trail()).toHaveLength(1);
  });

  it.each([
    ['a malformed slot id', { slotId: 'nope', idempotencyKey: 'bad-input-0001' }, 'slotId'],
    [
      'a slot that does not exist',
      { slotId: '00000000-0000-4000-8000-000000000000', idempotencyKey: 'bad-input-0002' },
      'slotId',
    ],
    ['a too-short idempotency key', { idempotencyKey: 'short' }, 'idempotencyKey'],
    [
      'a reason longer than 200 characters',
      { idempotencyKey: 'bad-input-0003', reasonForVisit: 'x'.repeat(201) },
      'reasonForVisit',
    ],
  ])('rejects %s as InvalidInput and changes nothing', async (_name, input, field) => {
    const { token } = await patient();
    const slotId = await freeSlotId();
    const before = await db.appointment.count();
    const result = await bookAs(token, { slotId, ...input });
    expect(result).toMatchObject({ __typename: 'InvalidInput', field });
    expect(await db.appointment.count()).toBe(before);
    expect((await db.slot.findUniqueOrThrow({ where: { id: slotId } })).status).toBe('free');
  });

  it('does not let a patient book for someone else, nor a doctor book at all', async () => {
    const { token } = await patient();
    const slotId = await freeSlotId();
    const other = await bookAs(token, {
      slotId,
      idempotencyKey: 'other-patient-01',
      clientId: '00000000-0000-4000-8000-000000000001',
    });
    expect(other.__typename).toBe('NotAllowed');
    const doctorToken = await system.token({
      role: 'Doctor',
      subject: '00000000-0000-4000-8000-000000000002',
    });
    expect((await bookAs(doctorToken, { slotId, idempotencyKey: 'doctor-try-0001' })).__typename).toBe(
      'NotAllowed',
    );
    expect((await db.slot.findUniqueOrThrow({ where: { id: slotId } })).status).toBe('free');
  });

  it('asks an anonymous caller to sign in', async () => {
    const { status, body } = await system.graphql(book, {
      variables: { input: { slotId: await freeSlotId(), idempotencyKey: 'anon-try-00001' } },
    });
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
