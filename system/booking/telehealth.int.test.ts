import { randomUUID } from 'node:crypto';
import { startTestSystemOnRealPostgres } from '../test-system';
import {
  connectAppointmentsDatabase,
  type AppointmentsDatabase,
} from '../../subgraphs/appointments/src/database';

/**
 * Telehealth through the gateway on real PostgreSQL: a video or phone consultation is booked only with a
 * doctor who offers it (the seed makes every other doctor of each clinic offer it), and a hold keeps
 * its choice when it is confirmed.
 */
let system: Awaited<ReturnType<typeof startTestSystemOnRealPostgres>>;
let db: AppointmentsDatabase;

beforeAll(async () => {
  system = await startTestSystemOnRealPostgres({ appointments: 0 });
  db = connectAppointmentsDatabase(system.databaseUrls.appointments);
}, 600_000);
afterAll(async () => {
  await db?.$disconnect();
  await system?.stop();
});

const OUTCOMES = {
  bookAppointment: '... on AppointmentBooked { appointment { id telehealth doctor { offersTelehealth } } }',
  holdSlot: '... on SlotHeld { hold { id telehealth } }',
  rescheduleAppointment: '... on AppointmentRescheduled { appointment { id telehealth slot { id } } }',
};

async function send(
  mutation: keyof typeof OUTCOMES,
  token: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const type = `${mutation[0]?.toUpperCase()}${mutation.slice(1)}Input`;
  const { body } = await system.graphql(
    `mutation($input: ${type}!) { ${mutation}(input: $input) {
      __typename ${OUTCOMES[mutation]} ... on InvalidInput { field message } } }`,
    { token, variables: { input } },
  );
  expect(body.errors).toBeUndefined();
  return (body.data?.[mutation] ?? {}) as Record<string, unknown>;
}

const patientToken = () => system.token({ role: 'Patient', subject: randomUUID() });
const key = () => `k-${randomUUID()}`;
/** Slots handed out, with their starts. */
const used = new Map<string, Date>();

/** A future free slot no other test took, of a doctor who offers telehealth or not. */
async function freeSlot(telehealth: boolean): Promise<string> {
  const slot = await db.slot.findFirstOrThrow({
    where: {
      status: 'free',
      telehealth,
      // Never at the time of one handed out before: one patient's appointments may not overlap, and
      // which doctors share the earliest times depends on the hour the test runs.
      start: { gt: new Date(Date.now() + 3 * 3_600_000), notIn: [...used.values()] },
      id: { notIn: [...used.keys()] },
    },
    orderBy: [{ start: 'asc' }, { id: 'asc' }],
  });
  used.set(slot.id, slot.start);
  return slot.id;
}

describe('telehealth bookings', () => {
  it('refuses telehealth with a doctor who does not offer it (InvalidInput on telehealth), and books nothing', async () => {
    const token = await patientToken();
    const slotId = await freeSlot(false);
    expect(
      await send('bookAppointment', token, { slotId, telehealth: true, idempotencyKey: key() }),
    ).toMatchObject({
      __typename: 'InvalidInput',
      field: 'telehealth',
    });
    expect(await send('holdSlot', token, { slotId, telehealth: true, idempotencyKey: key() })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'telehealth',
    });
    expect((await db.slot.findUniqueOrThrow({ where: { id: slotId } })).status).toBe('free');
    expect(await db.appointment.count({ where: { slotId } })).toBe(0);

    // The same time in person is fine.
    expect(await send('bookAppointment', token, { slotId, idempotencyKey: key() })).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: { telehealth: false, doctor: { offersTelehealth: false } },
    });
  });

  it('books telehealth with a doctor who offers it; the key fingerprints the choice', async () => {
    const token = await patientToken();
    const slotId = await freeSlot(true);
    const idempotencyKey = key();
    const booked = await send('bookAppointment', token, { slotId, telehealth: true, idempotencyKey });
    expect(booked).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: { telehealth: true, doctor: { offersTelehealth: true } },
    });
    // The same key for the same slot in person is another request.
    expect(await send('bookAppointment', token, { slotId, idempotencyKey })).toMatchObject({
      __typename: 'InvalidInput',
      field: 'idempotencyKey',
    });
    expect(await send('bookAppointment', token, { slotId, telehealth: true, idempotencyKey })).toEqual(
      booked,
    );
  });

  it("confirming a hold keeps the hold's choice", async () => {
    const token = await patientToken();
    const video = await send('holdSlot', token, {
      slotId: await freeSlot(true),
      telehealth: true,
      idempotencyKey: key(),
    });
    expect(video).toMatchObject({ __typename: 'SlotHeld', hold: { telehealth: true } });
    const videoHoldId = (video['hold'] as { id: string }).id;
    expect(
      await send('bookAppointment', token, { holdId: videoHoldId, idempotencyKey: key() }),
    ).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: { id: videoHoldId, telehealth: true },
    });

    const visit = await send('holdSlot', token, { slotId: await freeSlot(true), idempotencyKey: key() });
    expect(visit).toMatchObject({ __typename: 'SlotHeld', hold: { telehealth: false } });
    const visitHoldId = (visit['hold'] as { id: string }).id;
    expect(
      await send('bookAppointment', token, { holdId: visitHoldId, telehealth: true, idempotencyKey: key() }),
    ).toMatchObject({ __typename: 'InvalidInput', field: 'telehealth' });
    expect(
      await send('bookAppointment', token, { holdId: visitHoldId, idempotencyKey: key() }),
    ).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: { id: visitHoldId, telehealth: false },
    });
  });

  it('moves a telehealth appointment only to a slot whose doctor offers telehealth', async () => {
    const token = await patientToken();
    const booked = await send('bookAppointment', token, {
      slotId: await freeSlot(true),
      telehealth: true,
      idempotencyKey: key(),
    });
    const appointmentId = (booked['appointment'] as { id: string }).id;
    expect(
      await send('rescheduleAppointment', token, {
        appointmentId,
        slotId: await freeSlot(false),
        idempotencyKey: key(),
      }),
    ).toMatchObject({ __typename: 'InvalidInput', field: 'slotId' });
    const slotId = await freeSlot(true);
    expect(
      await send('rescheduleAppointment', token, { appointmentId, slotId, idempotencyKey: key() }),
    ).toMatchObject({
      __typename: 'AppointmentRescheduled',
      appointment: { id: appointmentId, telehealth: true, slot: { id: slotId } },
    });
  });
});
