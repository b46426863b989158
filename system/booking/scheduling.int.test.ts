import { randomUUID } from 'node:crypto';
import { startTestSystemOnRealPostgres } from '../test-system';
import {
  connectAppointmentsDatabase,
  type AppointmentsDatabase,
} from '../../subgraphs/appointments/src/database';

/** Booking, holds, cancellation and rescheduling through the gateway, on the real PostgreSQL server. */
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

const FRAGMENTS: Record<string, string> = {
  AppointmentBooked: '... on AppointmentBooked { appointment { id status start slot { id status } } }',
  SlotHeld: '... on SlotHeld { hold { id status holdExpiresAt } expiresAt }',
  AppointmentCancelled: '... on AppointmentCancelled { appointment { id status } }',
  AppointmentRescheduled:
    '... on AppointmentRescheduled { appointment { id start slot { id } } previousSlotId }',
  SlotUnavailable: '... on SlotUnavailable { slotId message }',
  HoldExpired: '... on HoldExpired { holdId message }',
  AppointmentNotFound: '... on AppointmentNotFound { appointmentId message }',
  NotAllowed: '... on NotAllowed { message }',
  InvalidInput: '... on InvalidInput { field message }',
};
const MEMBERS: Record<string, string[]> = {
  bookAppointment: [
    'AppointmentBooked',
    'SlotUnavailable',
    'HoldExpired',
    'AppointmentNotFound',
    'NotAllowed',
    'InvalidInput',
  ],
  holdSlot: ['SlotHeld', 'SlotUnavailable', 'NotAllowed', 'InvalidInput'],
  cancelAppointment: ['AppointmentCancelled', 'AppointmentNotFound', 'NotAllowed', 'InvalidInput'],
  rescheduleAppointment: [
    'AppointmentRescheduled',
    'SlotUnavailable',
    'AppointmentNotFound',
    'NotAllowed',
    'InvalidInput',
  ],
};

type Outcome = {
  __typename: string;
  appointment?: { id: string; status: string; start: string; slot: { id: string; status: string } };
  hold?: { id: string; status: string };
  previousSlotId?: string;
  field?: string;
};

async function mutate(mutation: string, token: string, input: Record<string, unknown>): Promise<Outcome> {
  const { body } = await system.graphql(
    `mutation($input: ${mutation[0]?.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename ${(MEMBERS[mutation] ?? []).map((member) => FRAGMENTS[member]).join(' ')} } }`,
    { token, variables: { input } },
  );
  expect(body.errors).toBeUndefined();
  return body.data?.[mutation] as Outcome;
}

const patientToken = (clientId = randomUUID()) => system.token({ role: 'Patient', subject: clientId });
const key = () => `test-${randomUUID()}`;

/** Free future slots, each from a different doctor when `distinctDoctors`; none used by another test. */
const taken = new Set<string>();
/** Free slots this file has not used yet, soonest first; taken for the caller unless it only peeks. */
async function freeSlots(count: number, where: { start?: Date; peek?: boolean } = {}) {
  const slots = await db.slot.findMany({
    where: {
      status: 'free',
      start: where.start ?? { gt: new Date(Date.now() + 3_600_000) },
      id: { notIn: [...taken] },
    },
    orderBy: [{ start: 'asc' }, { id: 'asc' }],
    take: count,
  });
  if (!where.peek) for (const slot of slots) taken.add(slot.id);
  return slots;
}

async function activeOverlaps(): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ count: bigint }[]>(
    `SELECT count(*) AS count FROM appointment a JOIN appointment b ON a.id < b.id
      WHERE a.status IN ('pending','booked') AND b.status IN ('pending','booked')
        AND (a.doctor_id = b.doctor_id OR a.client_id = b.client_id)
        AND tstzrange(a.start, a."end") && tstzrange(b.start, b."end")`,
  );
  return Number(row?.count ?? -1);
}

describe('no double booking, by construction', () => {
  it('lets exactly one of 200 concurrent bookings of one slot through the gateway succeed', async () => {
    const [slot] = await freeSlots(1);
    const tokens = await Promise.all(Array.from({ length: 200 }, () => patientToken()));
    const outcomes = await Promise.all(
      tokens.map((token) => mutate('bookAppointment', token, { slotId: slot?.id, idempotencyKey: key() })),
    );
    const kinds = outcomes.map((outcome) => outcome.__typename);
    expect(kinds.filter((kind) => kind === 'AppointmentBooked')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'SlotUnavailable')).toHaveLength(199);
    expect(await db.appointment.count({ where: { slotId: slot?.id, status: 'booked' } })).toBe(1);
  });

  it('refuses a second booking that overlaps one the patient already has, with another doctor', async () => {
    const [first] = await freeSlots(1);
    const sameTime = await db.slot.findFirstOrThrow({
      where: { status: 'free', start: first?.start, doctorId: { not: first?.doctorId } },
    });
    taken.add(sameTime.id);
    const token = await patientToken();
    expect(
      (await mutate('bookAppointment', token, { slotId: first?.id, idempotencyKey: key() })).__typename,
    ).toBe('AppointmentBooked');
    const second = await mutate('bookAppointment', token, { slotId: sameTime.id, idempotencyKey: key() });
    expect(second.__typename).toBe('SlotUnavailable');
    expect((await db.slot.findUniqueOrThrow({ where: { id: sameTime.id } })).status).toBe('free');
  });

  it('never leaves an overlap when one patient reschedules two appointments into the same time at once', async () => {
    // Whatever the time of day: a time two doctors are free at, and two other times for the patient's
    // appointments (one patient cannot hold two appointments at one time).
    const upcoming = await freeSlots(500, { peek: true });
    const byStart = new Map<number, typeof upcoming>();
    for (const slot of upcoming)
      byStart.set(slot.start.getTime(), [...(byStart.get(slot.start.getTime()) ?? []), slot]);
    const shared = [...byStart.values()].find(
      (group) => new Set(group.map((slot) => slot.doctorId)).size >= 2,
    );
    const targetTime = shared?.[0];
    const twin = shared?.find((slot) => slot.doctorId !== targetTime?.doctorId);
    if (!targetTime || !twin) throw new Error('no time with two free doctors in the seed');
    const others = [...byStart.entries()].filter(([start]) => start !== targetTime.start.getTime());
    const [a, b] = others.slice(0, 2).map(([, group]) => group[0]);
    for (const slot of [targetTime, twin, a, b]) if (slot) taken.add(slot.id);
    const token = await patientToken();
    const first = await mutate('bookAppointment', token, { slotId: a?.id, idempotencyKey: key() });
    const second = await mutate('bookAppointment', token, { slotId: b?.id, idempotencyKey: key() });
    const results = await Promise.all([
      mutate('rescheduleAppointment', token, {
        appointmentId: first.appointment?.id,
        slotId: targetTime?.id,
        idempotencyKey: key(),
      }),
      mutate('rescheduleAppointment', token, {
        appointmentId: second.appointment?.id,
        slotId: twin.id,
        idempotencyKey: key(),
      }),
    ]);
    const kinds = results.map((result) => result.__typename).sort();
    expect(kinds).toEqual(['AppointmentRescheduled', 'SlotUnavailable']);
    expect(await activeOverlaps()).toBe(0);
  });
});

describe('holds, cancellation and rescheduling', () => {
  it('holds a slot busy-tentative, keeps others off it, and confirms it into a booking', async () => {
    const [slot] = await freeSlots(1);
    const token = await patientToken();
    const held = await mutate('holdSlot', token, { slotId: slot?.id, idempotencyKey: key() });
    expect(held).toMatchObject({ __typename: 'SlotHeld', hold: { status: 'pending' } });
    expect((await db.slot.findUniqueOrThrow({ where: { id: slot?.id } })).status).toBe('busy_tentative');

    const other = await mutate('bookAppointment', await patientToken(), {
      slotId: slot?.id,
      idempotencyKey: key(),
    });
    expect(other.__typename).toBe('SlotUnavailable');

    const confirmKey = key();
    const confirmed = await mutate('bookAppointment', token, {
      holdId: held.hold?.id,
      idempotencyKey: confirmKey,
      reasonForVisit: 'Check-up',
    });
    expect(confirmed).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: { status: 'booked', slot: { status: 'busy' } },
    });
    const repeated = await mutate('bookAppointment', token, {
      holdId: held.hold?.id,
      idempotencyKey: confirmKey,
      reasonForVisit: 'Check-up',
    });
    expect(repeated.appointment?.id).toBe(confirmed.appointment?.id);
  });

  it('answers HoldExpired once a hold lapses, and the slot can be booked by someone else', async () => {
    const [slot] = await freeSlots(1);
    const token = await patientToken();
    const held = await mutate('holdSlot', token, { slotId: slot?.id, idempotencyKey: key() });
    await db.appointment.update({
      where: { id: held.hold?.id },
      data: { holdExpiresAt: new Date(Date.now() - 1000) },
    });

    const late = await mutate('bookAppointment', token, { holdId: held.hold?.id, idempotencyKey: key() });
    expect(late.__typename).toBe('HoldExpired');
    const other = await mutate('bookAppointment', await patientToken(), {
      slotId: slot?.id,
      idempotencyKey: key(),
    });
    expect(other.__typename).toBe('AppointmentBooked');
  });

  it('cancels a booking, frees its slot, and answers a repeat with the first result', async () => {
    const [slot] = await freeSlots(1);
    const token = await patientToken();
    const booked = await mutate('bookAppointment', token, { slotId: slot?.id, idempotencyKey: key() });
    const cancelKey = key();
    const cancelled = await mutate('cancelAppointment', token, {
      appointmentId: booked.appointment?.id,
      idempotencyKey: cancelKey,
    });
    expect(cancelled).toMatchObject({
      __typename: 'AppointmentCancelled',
      appointment: { status: 'cancelled' },
    });
    expect((await db.slot.findUniqueOrThrow({ where: { id: slot?.id } })).status).toBe('free');
    const again = await mutate('cancelAppointment', token, {
      appointmentId: booked.appointment?.id,
      idempotencyKey: cancelKey,
    });
    expect(again.__typename).toBe('AppointmentCancelled');
    const stranger = await mutate('cancelAppointment', await patientToken(), {
      appointmentId: booked.appointment?.id,
      idempotencyKey: key(),
    });
    expect(stranger.__typename).toBe('AppointmentNotFound');
  });

  it('reschedules atomically: the old time is released only when the new one is booked', async () => {
    const [from, to, takenByOther] = await freeSlots(3);
    const token = await patientToken();
    const booked = await mutate('bookAppointment', token, { slotId: from?.id, idempotencyKey: key() });
    await mutate('bookAppointment', await patientToken(), {
      slotId: takenByOther?.id,
      idempotencyKey: key(),
    });

    const refused = await mutate('rescheduleAppointment', token, {
      appointmentId: booked.appointment?.id,
      slotId: takenByOther?.id,
      idempotencyKey: key(),
    });
    expect(refused.__typename).toBe('SlotUnavailable');
    expect((await db.slot.findUniqueOrThrow({ where: { id: from?.id } })).status).toBe('busy');

    const moved = await mutate('rescheduleAppointment', token, {
      appointmentId: booked.appointment?.id,
      slotId: to?.id,
      idempotencyKey: key(),
    });
    expect(moved).toMatchObject({
      __typename: 'AppointmentRescheduled',
      previousSlotId: from?.id,
      appointment: { slot: { id: to?.id } },
    });
    expect((await db.slot.findUniqueOrThrow({ where: { id: from?.id } })).status).toBe('free');
  });

  it('answers bad input with a typed InvalidInput and changes nothing', async () => {
    const token = await patientToken();
    const [slot] = await freeSlots(1);
    expect(
      await mutate('bookAppointment', token, { slotId: slot?.id, idempotencyKey: 'short' }),
    ).toMatchObject({ field: 'idempotencyKey' });
    expect(
      await mutate('bookAppointment', token, {
        slotId: slot?.id,
        idempotencyKey: key(),
        reasonForVisit: 'x'.repeat(201),
      }),
    ).toMatchObject({ field: 'reasonForVisit' });
    expect(await mutate('bookAppointment', token, { idempotencyKey: key() })).toMatchObject({
      field: 'slotId',
    });
    expect((await db.slot.findUniqueOrThrow({ where: { id: slot?.id } })).status).toBe('free');
  });
});

describe('finding a time', () => {
  const page = `query($filter: AvailableSlotsFilter!, $after: String) {
    availableSlots(filter: $filter, first: 5, after: $after) { edges { cursor node { id start } } pageInfo { hasNextPage endCursor } }
  }`;
  type Page = {
    edges: { node: { id: string; start: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };

  it('pages through available slots with a cursor, without gaps or repeats', async () => {
    const doctor = await db.slot.findFirstOrThrow({ where: { status: 'free', start: { gt: new Date() } } });
    const date = doctor.start.toISOString().slice(0, 10);
    const filter = { doctorId: doctor.doctorId, fromDate: date, toDate: date, timeZone: 'UTC' };
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await system.graphql(page, { variables: { filter, after } });
      const result = body.data?.['availableSlots'] as Page;
      seen.push(...result.edges.map((edge) => edge.node.id));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    const expected = await db.slot.findMany({
      where: {
        doctorId: doctor.doctorId,
        status: 'free',
        start: {
          gte: new Date(`${date}T00:00:00Z`),
          lt: new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000),
        },
      },
      orderBy: [{ start: 'asc' }, { id: 'asc' }],
    });
    expect(seen).toEqual(expected.filter((slot) => slot.start > new Date()).map((slot) => slot.id));
    const bad = await system.graphql(page, { variables: { filter, after: 'not-a-cursor' } });
    expect(bad.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('lists free slots that have not started yet, however early the window begins', async () => {
    const slot = (doctor: { doctorId: string; clinicId: string }, startsInMinutes: number) => {
      const start = new Date(Date.now() + startsInMinutes * 60_000);
      return { id: randomUUID(), ...doctor, start, end: new Date(start.getTime() + 15 * 60_000) };
    };
    const ids = (slots: { id: string }[]) => slots.map(({ id }) => id);
    // A doctor of its own, so no other test's slots are in the way, and a seeded doctor the doctors
    // service knows, for the doctor's own list.
    const own = { doctorId: randomUUID(), clinicId: randomUUID() };
    const seeded = await db.slot.findFirstOrThrow({
      where: { status: 'free' },
      orderBy: [{ start: 'asc' }, { id: 'asc' }],
      select: { doctorId: true, clinicId: true },
    });
    const started = [slot(own, -120), slot(own, -5), slot(seeded, -30 * 60)];
    const upcoming = [slot(own, 60), slot(own, 180), slot(seeded, 90)];
    await db.slot.createMany({ data: [...started, ...upcoming] });
    try {
      const yesterday = new Date(Date.now() - 86_400_000).toISOString();
      const { body } = await system.graphql(
        `query($d: ID, $f: DateTime!, $t: DateTime!) { freeSlots(doctorId: $d, from: $f, to: $t) { id } }`,
        { variables: { d: own.doctorId, f: yesterday, t: new Date(Date.now() + 86_400_000).toISOString() } },
      );
      expect(body.data?.['freeSlots']).toEqual(upcoming.slice(0, 2).map(({ id }) => ({ id })));

      const theirs = await system.graphql(
        `query($id: ID!, $f: DateTime) { doctor(id: $id) { freeSlots(from: $f, days: 3) { id start } } }`,
        { variables: { id: seeded.doctorId, f: new Date(Date.now() - 2 * 86_400_000).toISOString() } },
      );
      const listed = (theirs.body.data?.['doctor'] as { freeSlots: { id: string; start: string }[] })
        .freeSlots;
      expect(ids(listed)).toContain(upcoming[2]?.id);
      expect(ids(listed)).not.toContain(started[2]?.id);
      expect(listed.filter(({ start }) => new Date(start) <= new Date())).toEqual([]);
    } finally {
      // Other tests here pick the earliest free slot; these must not be it.
      await db.slot.deleteMany({ where: { id: { in: ids([...started, ...upcoming]) } } });
    }
  });

  it('finds the next available slot of a doctor, and keeps a doctor’s day to their clinic’s staff', async () => {
    const slot = await db.slot.findFirstOrThrow({
      where: { status: 'free', start: { gt: new Date() } },
      orderBy: [{ start: 'asc' }, { id: 'asc' }],
    });
    const next = await system.graphql(`query($d: ID) { nextAvailableSlot(doctorId: $d) { id } }`, {
      variables: { d: slot.doctorId },
    });
    const first = await db.slot.findFirstOrThrow({
      where: { status: 'free', doctorId: slot.doctorId, start: { gt: new Date() } },
      orderBy: [{ start: 'asc' }, { id: 'asc' }],
    });
    expect(next.body.data?.['nextAvailableSlot']).toEqual({ id: first.id });

    const day = `query($d: ID!, $date: LocalDate!) { doctorDay(doctorId: $d, date: $date, timeZone: "UTC") { slots { slot { id status } } } }`;
    const variables = { d: slot.doctorId, date: slot.start.toISOString().slice(0, 10) };
    const own = await system.token({ role: 'ClinicAdmin', subject: 'staff-own', clinicId: slot.clinicId });
    const other = await system.token({ role: 'ClinicAdmin', subject: 'staff-other', clinicId: randomUUID() });
    const ownDay = await system.graphql(day, { token: own, variables });
    expect((ownDay.body.data?.['doctorDay'] as { slots: unknown[] }).slots.length).toBeGreaterThan(0);
    const otherDay = await system.graphql(day, { token: other, variables });
    expect(otherDay.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
