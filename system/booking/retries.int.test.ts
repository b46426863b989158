import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { eventually } from '@clinic/testing';
import { startTestSystemOnRealPostgres } from '../test-system';
import {
  connectAppointmentsDatabase,
  type AppointmentsDatabase,
} from '../../subgraphs/appointments/src/database';

/**
 * What users do every day, tried from the outside on real PostgreSQL: tap twice, retry on a timeout,
 * reuse a key by mistake or by malice, and cancel while the clinic moves appointments.
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

const SELECTIONS: Record<string, string> = {
  bookAppointment: `... on AppointmentBooked { appointment { id status start slot { id } } }
    ... on SlotUnavailable { slotId message } ... on HoldExpired { holdId message }
    ... on AppointmentNotFound { appointmentId message }`,
  holdSlot:
    '... on SlotHeld { hold { id status start } expiresAt } ... on SlotUnavailable { slotId message }',
  cancelAppointment:
    '... on AppointmentCancelled { appointment { id status } } ... on AppointmentNotFound { appointmentId }',
  rescheduleAppointment: `... on AppointmentRescheduled { appointment { id start slot { id } } previousSlotId }
    ... on SlotUnavailable { slotId message } ... on AppointmentNotFound { appointmentId }`,
  addAvailabilityException: '... on AvailabilityExceptionAdded { exception { id startsAt endsAt } }',
  removeAvailabilityException: '... on AvailabilityExceptionRemoved { exceptionId }',
  setDoctorStatus: '... on DoctorStatusSet { doctor { id status } }',
};

interface Answer {
  status: number;
  errors?: unknown;
  outcome: Record<string, unknown> & { __typename?: string };
}

async function send(mutation: string, token: string, input: Record<string, unknown>): Promise<Answer> {
  const type = `${mutation[0]?.toUpperCase()}${mutation.slice(1)}Input`;
  const { status, body } = await system.graphql(
    `mutation($input: ${type}!) { ${mutation}(input: $input) { __typename ${SELECTIONS[mutation]}
      ... on NotAllowed { message } ... on InvalidInput { field message } } }`,
    { token, variables: { input } },
  );
  return { status, errors: body.errors, outcome: (body.data?.[mutation] ?? {}) as Answer['outcome'] };
}

const patientToken = (clientId = randomUUID()) => system.token({ role: 'Patient', subject: clientId });
const key = () => `k-${randomUUID()}`;
const used = new Set<string>();

/** Free slots no other test has used, soonest first, each at a different time (one patient may book them all). */
async function freeSlots(count: number, where: { doctorId?: string } = {}) {
  const candidates = await db.slot.findMany({
    where: {
      status: 'free',
      start: { gt: new Date(Date.now() + 3 * 3_600_000) },
      id: { notIn: [...used] },
      ...where,
    },
    orderBy: [{ start: 'asc' }, { id: 'asc' }],
    take: count * 20,
  });
  const starts = new Set<number>();
  const slots = candidates
    .filter((slot) => !starts.has(slot.start.getTime()) && starts.add(slot.start.getTime()))
    .slice(0, count);
  for (const slot of slots) used.add(slot.id);
  return slots;
}

/** Slots whose status disagrees with their active appointments; none, ever. */
async function slotsOutOfStep(): Promise<unknown[]> {
  return db.$queryRawUnsafe(
    `SELECT s.id, s.status::text, count(a.id)::int AS active
       FROM slot s LEFT JOIN appointment a ON a.slot_id = s.id AND a.status IN ('pending', 'booked')
      GROUP BY s.id, s.status
     HAVING (s.status IN ('busy', 'busy-tentative') AND count(a.id) <> 1)
         OR (s.status = 'free' AND count(a.id) > 0) OR count(a.id) > 1`,
  );
}

async function activeOverlaps(): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ count: number }[]>(
    `SELECT count(*)::int AS count FROM appointment a JOIN appointment b ON a.id < b.id
      WHERE a.status IN ('pending','booked') AND b.status IN ('pending','booked')
        AND (a.doctor_id = b.doctor_id OR a.client_id = b.client_id)
        AND tstzrange(a.start, a."end") && tstzrange(b.start, b."end")`,
  );
  return row?.count ?? -1;
}

const twice = async (request: () => Promise<Answer>, times = 3) =>
  Promise.all(Array.from({ length: times }, request));

describe('the same request sent several times at once gets one answer', () => {
  it('bookAppointment, holdSlot, confirming a hold, cancelAppointment and rescheduleAppointment', async () => {
    const token = await patientToken();
    const [a, b, c, d] = await freeSlots(4);

    const bookKey = key();
    const booked = await twice(() =>
      send('bookAppointment', token, { slotId: a?.id, idempotencyKey: bookKey }),
    );
    expect(booked.map((answer) => answer.outcome.__typename)).toEqual(Array(3).fill('AppointmentBooked'));
    expect(new Set(booked.map((answer) => JSON.stringify(answer.outcome))).size).toBe(1);

    const holdKey = key();
    const held = await twice(() => send('holdSlot', token, { slotId: b?.id, idempotencyKey: holdKey }));
    expect(held.map((answer) => answer.outcome.__typename)).toEqual(Array(3).fill('SlotHeld'));
    expect(new Set(held.map((answer) => JSON.stringify(answer.outcome))).size).toBe(1);
    const holdId = (held[0]?.outcome['hold'] as { id: string }).id;

    const confirmKey = key();
    const confirmed = await twice(() =>
      send('bookAppointment', token, { holdId, reasonForVisit: 'Check-up', idempotencyKey: confirmKey }),
    );
    expect(confirmed.map((answer) => answer.outcome.__typename)).toEqual(Array(3).fill('AppointmentBooked'));
    expect(new Set(confirmed.map((answer) => JSON.stringify(answer.outcome))).size).toBe(1);

    const appointmentId = (booked[0]?.outcome['appointment'] as { id: string }).id;
    const moveKey = key();
    const moved = await twice(() =>
      send('rescheduleAppointment', token, { appointmentId, slotId: c?.id, idempotencyKey: moveKey }),
    );
    expect(moved.map((answer) => answer.outcome.__typename)).toEqual(Array(3).fill('AppointmentRescheduled'));
    expect(new Set(moved.map((answer) => JSON.stringify(answer.outcome))).size).toBe(1);

    const cancelKey = key();
    const cancelled = await twice(() =>
      send('cancelAppointment', token, { appointmentId: holdId, idempotencyKey: cancelKey }),
    );
    expect(cancelled.map((answer) => answer.outcome.__typename)).toEqual(
      Array(3).fill('AppointmentCancelled'),
    );
    expect(new Set(cancelled.map((answer) => JSON.stringify(answer.outcome))).size).toBe(1);

    expect(d).toBeDefined();
    expect(await slotsOutOfStep()).toEqual([]);
  });
});

describe('a key is kept to its request', () => {
  it('refuses the same key with a different request, naming the key, and changes nothing', async () => {
    const token = await patientToken();
    const [slot, other] = await freeSlots(2);
    const reused = key();
    const first = await send('bookAppointment', token, {
      slotId: slot?.id,
      reasonForVisit: 'Check-up',
      idempotencyKey: reused,
    });
    expect(first.outcome.__typename).toBe('AppointmentBooked');
    const otherReason = await send('bookAppointment', token, {
      slotId: slot?.id,
      reasonForVisit: 'Vaccination',
      idempotencyKey: reused,
    });
    expect(otherReason.outcome).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    const otherSlot = await send('bookAppointment', token, { slotId: other?.id, idempotencyKey: reused });
    expect(otherSlot.outcome).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    const otherOperation = await send('holdSlot', token, { slotId: other?.id, idempotencyKey: reused });
    expect(otherOperation.outcome).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    expect((await db.slot.findUniqueOrThrow({ where: { id: other?.id as string } })).status).toBe('free');
  });

  it('answers an identical retry with the first outcome after the appointment was moved or cancelled', async () => {
    const token = await patientToken();
    const [slot, later] = await freeSlots(2);
    const bookKey = key();
    const input = { slotId: slot?.id, reasonForVisit: 'Follow-up', idempotencyKey: bookKey };
    const first = await send('bookAppointment', token, input);
    const appointmentId = (first.outcome['appointment'] as { id: string }).id;
    const move = await send('rescheduleAppointment', token, {
      appointmentId,
      slotId: later?.id,
      idempotencyKey: key(),
    });
    expect(move.outcome.__typename).toBe('AppointmentRescheduled');
    expect((await send('bookAppointment', token, input)).outcome).toEqual(first.outcome);
    await send('cancelAppointment', token, { appointmentId, idempotencyKey: key() });
    expect((await send('bookAppointment', token, input)).outcome).toEqual(first.outcome);
  });

  it("treats another caller's key as unused: it neither returns nor reveals their request", async () => {
    const shared = key();
    const [mine, theirs] = await freeSlots(2);
    const first = await send('bookAppointment', await patientToken(), {
      slotId: mine?.id,
      reasonForVisit: 'Skin check',
      idempotencyKey: shared,
    });
    expect(first.outcome.__typename).toBe('AppointmentBooked');
    // Replaying the exact request (same slot and key) as someone else books nothing and shows nothing of it.
    const replayed = await send('bookAppointment', await patientToken(), {
      slotId: mine?.id,
      reasonForVisit: 'Skin check',
      idempotencyKey: shared,
    });
    expect(replayed.outcome.__typename).toBe('SlotUnavailable');
    expect(JSON.stringify(replayed.outcome)).not.toContain(
      (first.outcome['appointment'] as { id: string }).id,
    );
    // The same key for their own request simply works.
    const own = await send('bookAppointment', await patientToken(), {
      slotId: theirs?.id,
      idempotencyKey: shared,
    });
    expect(own.outcome.__typename).toBe('AppointmentBooked');
  });
});

describe('holds', () => {
  it('lets one patient hold at most two slots at once, however the requests race', async () => {
    const token = await patientToken();
    const slots = await freeSlots(6);
    const answers = await Promise.all(
      slots.map((slot) => send('holdSlot', token, { slotId: slot.id, idempotencyKey: key() })),
    );
    const kinds = answers.map((answer) => answer.outcome.__typename);
    expect(kinds.filter((kind) => kind === 'SlotHeld')).toHaveLength(2);
    expect(kinds.filter((kind) => kind === 'NotAllowed')).toHaveLength(4);
    expect(answers.every((answer) => answer.errors === undefined)).toBe(true);
    expect(await slotsOutOfStep()).toEqual([]);
  });
});

describe("staff and a patient's own hold", () => {
  it('may not confirm the hold of a patient who has not linked themself to the clinic', async () => {
    const [slot] = await freeSlots(1);
    const held = await send('holdSlot', await patientToken(), { slotId: slot?.id, idempotencyKey: key() });
    const holdId = (held.outcome['hold'] as { id: string }).id;
    const admin = await system.token({
      role: 'ClinicAdmin',
      subject: 'staff-confirm',
      clinicId: slot?.clinicId,
    });
    const confirmed = await send('bookAppointment', admin, { holdId, idempotencyKey: key() });
    expect(confirmed.outcome.__typename).toBe('NotAllowed');
    expect((await db.appointment.findUniqueOrThrow({ where: { id: holdId } })).status).toBe('pending');
  });
});

describe('a lapsed hold', () => {
  it('frees its slot for every read the moment it lapses, before any sweeper passes', async () => {
    const token = await patientToken();
    const [slot] = await freeSlots(1);
    const held = await send('holdSlot', token, { slotId: slot?.id, idempotencyKey: key() });
    expect(held.outcome.__typename).toBe('SlotHeld');
    // Time passes: the hold's expiry is now behind us, and nothing has written the slot back yet.
    await db.appointment.updateMany({
      where: { slotId: slot?.id, status: 'pending' },
      data: { holdExpiresAt: new Date(Date.now() - 1_000) },
    });
    expect((await db.slot.findUniqueOrThrow({ where: { id: slot?.id as string } })).status).toBe(
      'busy_tentative',
    );

    const start = slot?.start as Date;
    const day = (offset: number) =>
      new Date(start.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const admin = await system.token({
      role: 'ClinicAdmin',
      subject: 'staff-lapsed',
      clinicId: slot?.clinicId,
    });
    const { body } = await system.graphql(
      `query($id: ID!, $doctorId: ID!, $from: DateTime!, $to: DateTime!, $filter: AvailableSlotsFilter!, $date: LocalDate!) {
        slot(id: $id) { status }
        freeSlots(doctorId: $doctorId, from: $from, to: $to, first: 200) { id status }
        availableSlots(filter: $filter, first: 200) { edges { node { id status } } }
        doctor(id: $doctorId) { freeSlots(from: $from, days: 2) { id status } }
        doctorDay(doctorId: $doctorId, date: $date, timeZone: "UTC") { slots { slot { id status } appointment { id } } }
      }`,
      {
        token: admin,
        variables: {
          id: slot?.id,
          doctorId: slot?.doctorId,
          from: new Date(start.getTime() - 60_000).toISOString(),
          to: new Date(start.getTime() + 60_000).toISOString(),
          filter: { doctorId: slot?.doctorId, fromDate: day(-1), toDate: day(1), timeZone: 'UTC' },
          date: day(0),
        },
      },
    );
    expect(body.errors).toBeUndefined();
    const data = body.data as {
      slot: { status: string };
      freeSlots: { id: string; status: string }[];
      availableSlots: { edges: { node: { id: string; status: string } }[] };
      doctor: { freeSlots: { id: string; status: string }[] };
      doctorDay: { slots: { slot: { id: string; status: string }; appointment: unknown }[] };
    };
    expect(data.slot.status).toBe('free');
    expect(data.freeSlots).toContainEqual({ id: slot?.id, status: 'free' });
    expect(data.availableSlots.edges.map((edge) => edge.node)).toContainEqual({
      id: slot?.id,
      status: 'free',
    });
    expect(data.doctor.freeSlots).toContainEqual({ id: slot?.id, status: 'free' });
    expect(data.doctorDay.slots).toContainEqual({
      slot: { id: slot?.id, status: 'free' },
      appointment: null,
    });
    // And it can be booked at once.
    const booked = await send('bookAppointment', await patientToken(), {
      slotId: slot?.id,
      idempotencyKey: key(),
    });
    expect(booked.outcome.__typename).toBe('AppointmentBooked');
  });
});

describe('a leave while patients cancel and reschedule', () => {
  it('answers every request with a typed outcome and keeps every slot in step, round after round', async () => {
    const doctor = await db.slot.findFirstOrThrow({
      where: { status: 'free', start: { gt: new Date(Date.now() + 86_400_000) }, id: { notIn: [...used] } },
      orderBy: { start: 'asc' },
    });
    const admin = await system.token({
      role: 'ClinicAdmin',
      subject: 'staff-leave',
      clinicId: doctor.clinicId,
    });
    for (let round = 0; round < 4; round++) {
      const day = await freeSlots(16, { doctorId: doctor.doctorId });
      const spare = await freeSlots(16);
      const patients = await Promise.all(
        day.map(async (slot) => {
          const token = await patientToken();
          const booked = await send('bookAppointment', token, { slotId: slot.id, idempotencyKey: key() });
          return { token, id: (booked.outcome['appointment'] as { id: string }).id };
        }),
      );
      const first = day[0]?.start as Date;
      const last = day[day.length - 1]?.end as Date;
      const [leave, ...answers] = await Promise.all([
        send('addAvailabilityException', admin, {
          doctorId: doctor.doctorId,
          startsAt: first.toISOString(),
          endsAt: last.toISOString(),
          kind: 'leave',
          idempotencyKey: key(),
        }),
        ...patients.map(({ token, id }, index) =>
          index % 2 === 0
            ? send('cancelAppointment', token, { appointmentId: id, idempotencyKey: key() })
            : send('rescheduleAppointment', token, {
                appointmentId: id,
                slotId: spare[index]?.id,
                idempotencyKey: key(),
              }),
        ),
      ]);
      expect(leave?.outcome.__typename).toBe('AvailabilityExceptionAdded');
      for (const answer of answers) {
        expect(answer.errors).toBeUndefined();
        expect(answer.status).toBe(200);
        expect(typeof answer.outcome.__typename).toBe('string');
      }
      // The leave reaches the appointments service as an event; wait until its slots are withdrawn.
      await eventually(async () =>
        (await db.slot.count({ where: { id: { in: day.map((slot) => slot.id) }, status: 'free' } })) === 0
          ? true
          : undefined,
      );
      const exceptionId = (leave?.outcome['exception'] as { id: string }).id;
      await send('removeAvailabilityException', admin, { exceptionId, idempotencyKey: key() });
    }
    expect(await slotsOutOfStep()).toEqual([]);
    expect(await activeOverlaps()).toBe(0);
  });
});

describe('random interleavings with duplicate and concurrent retries (property)', () => {
  type Step =
    | { kind: 'book' | 'hold' | 'reschedule'; patient: number; slot: number; copies: number }
    | { kind: 'confirm' | 'cancel'; patient: number; copies: number }
    | { kind: 'leave' | 'unavailable'; slot: number; copies: number }
    | { kind: 'leave-removed' | 'active'; copies: number }
    /** A patient's key from an earlier round sent again with another mutation: InvalidInput, nothing changes. */
    | { kind: 'reuse'; patient: number; copies: number };

  const PATIENTS = 3;
  const SLOTS = 6;
  const copies = fc.integer({ min: 1, max: 3 });
  const patient = fc.integer({ min: 0, max: PATIENTS - 1 });
  const slot = fc.integer({ min: 0, max: SLOTS - 1 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constantFrom('book' as const, 'hold' as const, 'reschedule' as const),
      patient,
      slot,
      copies,
    }),
    fc.record({ kind: fc.constantFrom('confirm' as const, 'cancel' as const), patient, copies }),
    fc.record({ kind: fc.constantFrom('leave' as const, 'unavailable' as const), slot, copies }),
    fc.record({ kind: fc.constantFrom('leave-removed' as const, 'active' as const), copies }),
    fc.record({ kind: fc.constant('reuse' as const), patient, copies }),
  );

  /** Flagged appointments that a free slot of another doctor of their clinic could take right now. */
  async function flaggedWithAFittingTime(): Promise<unknown[]> {
    return db.$queryRawUnsafe(
      `SELECT a.id FROM appointment a JOIN slot s
          ON s.start = a.start AND s."end" = a."end" AND s.clinic_id = a.clinic_id AND s.doctor_id <> a.doctor_id
         AND (NOT a.telehealth OR s.telehealth)
       WHERE a.needs_attention_since IS NOT NULL AND a.status = 'booked' AND a.start > now() AND s.status = 'free'`,
    );
  }

  /** Every re-assignment outcome announced to its patient exactly once (queued by the patients service). */
  async function messagesOutOfStep(): Promise<string | undefined> {
    const [outcomes] = await db.$queryRawUnsafe<{ count: number; unpublished: number }[]>(
      `SELECT count(*) FILTER (WHERE envelope->>'type' IN
                ('appointment.reassigned', 'appointment.needs-attention', 'appointment.returned'))::int AS count,
              count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished
         FROM outbox`,
    );
    const patients = new Client({ connectionString: system.databaseUrls.patients });
    await patients.connect();
    try {
      const { rows } = await patients.query<{ messages: number; repeated: number }>(
        `SELECT count(*)::int AS messages,
                (SELECT count(*) FROM (SELECT 1 FROM notification WHERE recipient = 'patient'
                  GROUP BY appointment_id, reason, event_id HAVING count(*) > 1) r)::int AS repeated
           FROM notification WHERE recipient = 'patient'`,
      );
      const state = `${outcomes?.count} outcomes (${outcomes?.unpublished} unpublished), ${rows[0]?.messages} messages, ${rows[0]?.repeated} repeated`;
      return outcomes?.unpublished === 0 && rows[0]?.messages === outcomes.count && rows[0]?.repeated === 0
        ? undefined
        : state;
    } finally {
      await patients.end();
    }
  }

  it('gives typed, identical answers to identical requests and keeps the schedule consistent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { maxLength: 5 }),
        async (rounds) => {
          const slots = await freeSlots(SLOTS);
          const tokens = await Promise.all(Array.from({ length: PATIENTS }, () => patientToken()));
          const admins = new Map<string, string>();
          const adminOf = async (clinicId: string) => {
            const token =
              admins.get(clinicId) ??
              (await system.token({ role: 'ClinicAdmin', subject: 'staff-prop', clinicId }));
            admins.set(clinicId, token);
            return token;
          };
          const appointments: string[][] = tokens.map(() => []);
          const holds: string[][] = tokens.map(() => []);
          const leaves: { exceptionId: string; clinicId: string }[] = [];
          const unavailable = new Map<string, string>();
          /** Each patient's keys used in earlier rounds, with the mutation each was used for. */
          const usedKeys: { key: string; mutation: string }[][] = tokens.map(() => []);
          const thisRound: { patient: number; key: string; mutation: string }[] = [];
          const remember = (current: Step, answer: Answer) => {
            const appointment = answer.outcome['appointment'] as { id: string } | undefined;
            const hold = answer.outcome['hold'] as { id: string } | undefined;
            const exception = answer.outcome['exception'] as { id: string } | undefined;
            if ('patient' in current && appointment && answer.outcome.__typename === 'AppointmentBooked')
              appointments[current.patient]?.push(appointment.id);
            if ('patient' in current && hold) holds[current.patient]?.push(hold.id);
            if (exception && 'slot' in current)
              leaves.push({ exceptionId: exception.id, clinicId: slots[current.slot]?.clinicId as string });
          };
          const request = async (current: Step): Promise<[string, string, Record<string, unknown>]> => {
            const patientToken = 'patient' in current ? (tokens[current.patient] as string) : '';
            const target = 'slot' in current ? slots[current.slot] : undefined;
            switch (current.kind) {
              case 'book':
                return ['bookAppointment', patientToken, { slotId: target?.id }];
              case 'hold':
                return ['holdSlot', patientToken, { slotId: target?.id }];
              case 'confirm':
                return [
                  'bookAppointment',
                  patientToken,
                  { holdId: holds[current.patient]?.at(-1) ?? randomUUID() },
                ];
              case 'cancel':
                return [
                  'cancelAppointment',
                  patientToken,
                  { appointmentId: appointments[current.patient]?.at(-1) ?? randomUUID() },
                ];
              case 'reschedule':
                return [
                  'rescheduleAppointment',
                  patientToken,
                  {
                    appointmentId: appointments[current.patient]?.at(-1) ?? randomUUID(),
                    slotId: target?.id,
                  },
                ];
              case 'leave':
                return [
                  'addAvailabilityException',
                  await adminOf(target?.clinicId as string),
                  {
                    doctorId: target?.doctorId,
                    startsAt: target?.start.toISOString(),
                    endsAt: target?.end.toISOString(),
                    kind: 'leave',
                  },
                ];
              case 'leave-removed': {
                const leave = leaves.at(-1) ?? {
                  exceptionId: randomUUID(),
                  clinicId: slots[0]?.clinicId as string,
                };
                return [
                  'removeAvailabilityException',
                  await adminOf(leave.clinicId),
                  { exceptionId: leave.exceptionId },
                ];
              }
              case 'unavailable':
                unavailable.set(target?.doctorId as string, target?.clinicId as string);
                return [
                  'setDoctorStatus',
                  await adminOf(target?.clinicId as string),
                  { doctorId: target?.doctorId, status: 'unavailable' },
                ];
              case 'reuse': {
                const earlier = usedKeys[current.patient]?.at(-1);
                const mutation = earlier?.mutation === 'holdSlot' ? 'cancelAppointment' : 'holdSlot';
                const input =
                  mutation === 'holdSlot' ? { slotId: slots[0]?.id } : { appointmentId: randomUUID() };
                return [mutation, patientToken, { ...input, reusedKey: earlier?.key }];
              }
              case 'active': {
                const [doctorId, clinicId] = [...unavailable.entries()].at(-1) ?? [
                  slots[0]?.doctorId,
                  slots[0]?.clinicId,
                ];
                return ['setDoctorStatus', await adminOf(clinicId as string), { doctorId, status: 'active' }];
              }
            }
          };
          for (const round of rounds) {
            // Each step of a round runs at once with the others; each step is sent `copies` times at once.
            await Promise.all(
              round.map(async (current) => {
                const [mutation, token, { reusedKey, ...input }] = await request(current);
                const idempotencyKey = typeof reusedKey === 'string' ? reusedKey : key();
                const answers = await Promise.all(
                  Array.from({ length: current.copies }, () =>
                    send(mutation, token, { ...input, idempotencyKey }),
                  ),
                );
                for (const answer of answers) {
                  expect(answer.errors).toBeUndefined();
                  expect(answer.outcome.__typename).toEqual(expect.any(String));
                }
                expect(new Set(answers.map((answer) => JSON.stringify(answer.outcome))).size).toBe(1);
                if (typeof reusedKey === 'string') {
                  expect(answers[0]?.outcome).toMatchObject({
                    __typename: 'InvalidInput',
                    field: 'idempotencyKey',
                  });
                } else if ('patient' in current) {
                  thisRound.push({ patient: current.patient, key: idempotencyKey, mutation });
                }
                remember(current, answers[0] as Answer);
              }),
            );
            for (const used of thisRound.splice(0)) usedKeys[used.patient]?.push(used);
          }
          // Give the doctors back their time, so later runs find free slots; the schedule must settle again.
          for (const [doctorId, clinicId] of unavailable) {
            await send('setDoctorStatus', await adminOf(clinicId), {
              doctorId,
              status: 'active',
              idempotencyKey: key(),
            });
          }
          for (const { exceptionId, clinicId } of leaves) {
            await send('removeAvailabilityException', await adminOf(clinicId), {
              exceptionId,
              idempotencyKey: key(),
            });
          }
          await eventually(async () => ((await messagesOutOfStep()) === undefined ? true : undefined));
          await eventually(async () => ((await flaggedWithAFittingTime()).length === 0 ? true : undefined));
          expect(await slotsOutOfStep()).toEqual([]);
          expect(await activeOverlaps()).toBe(0);
        },
      ),
      {
        numRuns: 12,
        seed: 20261204,
        endOnFailure: true,
        // Counterexamples the property found, kept: double-tapped cancels and confirms beside bookings gave
        // INTERNAL_SERVER_ERROR before keys were claimed first (one idempotency mechanism).
        examples: [
          // A reschedule of a booking its doctor's leave had displaced: the chunk that settles displaced
          // bookings then moved it off the time its patient had chosen, leaving that slot busy and empty.
          [
            [
              [{ kind: 'active', copies: 2 }],
              [
                { kind: 'leave', slot: 2, copies: 1 },
                { kind: 'unavailable', slot: 3, copies: 3 },
                { kind: 'confirm', patient: 0, copies: 3 },
              ],
              [{ kind: 'book', patient: 1, slot: 1, copies: 1 }],
              [
                { kind: 'reuse', patient: 0, copies: 2 },
                { kind: 'active', copies: 1 },
              ],
              [
                { kind: 'active', copies: 3 },
                { kind: 'leave-removed', copies: 1 },
                { kind: 'reschedule', patient: 0, slot: 2, copies: 3 },
              ],
            ],
          ],
          [
            [
              [{ kind: 'cancel', patient: 2, copies: 2 }],
              [
                { kind: 'confirm', patient: 0, copies: 3 },
                { kind: 'cancel', patient: 1, copies: 3 },
                { kind: 'cancel', patient: 2, copies: 3 },
              ],
              [
                { kind: 'confirm', patient: 2, copies: 2 },
                { kind: 'book', patient: 0, slot: 1, copies: 2 },
                { kind: 'book', patient: 1, slot: 2, copies: 1 },
              ],
              [{ kind: 'cancel', patient: 2, copies: 1 }],
              [
                { kind: 'cancel', patient: 2, copies: 3 },
                { kind: 'cancel', patient: 1, copies: 1 },
                { kind: 'book', patient: 2, slot: 0, copies: 3 },
              ],
            ],
          ],
        ],
      },
    );
  });
});
