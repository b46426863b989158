import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Identity } from '@clinic/contracts';
import { admin, atOnce, kinds, key, patient, useBookingBed, type Doctor } from '../testing/booking-bed';
import { bookAppointment } from './book-appointment';
import { cancelAppointment } from './cancel-appointment';
import { holdSlot } from './hold-slot';
import { rescheduleAppointment } from './reschedule-appointment';

/** Moving a booking to another free slot in one go, on real PostgreSQL. */
const bed = useBookingBed();

async function booked(slotId: string, who: Identity = patient(), telehealth = false) {
  const outcome = await bookAppointment({ slotId, idempotencyKey: key(), telehealth }, bed.contextFor(who));
  if (outcome.__typename !== 'AppointmentBooked') throw new Error(`not booked: ${outcome.__typename}`);
  return outcome.appointment;
}

describe('rescheduleAppointment', () => {
  it('moves a booking to a free slot, frees the old one, and says so in three events', async () => {
    const { slots } = await bed.newDoctor();
    const [from, to] = [slots[0]!, slots[2]!];
    const who = patient();
    const appointment = await booked(from.id, who);
    // Waiting for a doctor since a leave: moved by its patient, it waits no more.
    await bed.db.appointment.update({
      where: { id: appointment.id },
      data: { needsAttentionSince: new Date() },
    });
    const context = bed.contextFor(who);
    const outcome = await rescheduleAppointment(
      { appointmentId: appointment.id, slotId: to.id, idempotencyKey: key() },
      context,
    );
    expect(outcome).toMatchObject({
      __typename: 'AppointmentRescheduled',
      previousSlotId: from.id,
      appointment: {
        id: appointment.id,
        slotId: to.id,
        start: to.start,
        end: to.end,
        needsAttentionSince: null,
      },
    });
    expect((await bed.slot(from.id)).status).toBe('free');
    expect((await bed.slot(to.id)).status).toBe('busy');
    const moved = (await bed.eventsAbout(appointment.id)).at(-1);
    expect(moved).toMatchObject({
      type: 'appointment.rescheduled',
      payload: { slotId: to.id, previousSlotId: from.id, previousStart: from.start.toISOString() },
    });
    expect(
      (await bed.eventsAbout(to.id)).map((event) => (event.payload as { status: string }).status),
    ).toEqual(['busy']);
    expect(
      (await bed.eventsAbout(from.id)).map((event) => (event.payload as { status: string }).status),
    ).toEqual(['busy', 'free']);
    expect(context.pokes()).toBe(1);
  });

  it('answers the same move sent three times at once alike, and a late retry as it did then', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const appointment = await booked(slots[0]!.id, who);
    const moveKey = key();
    const request = { appointmentId: appointment.id, slotId: slots[1]!.id, idempotencyKey: moveKey };
    const outcomes = await atOnce(3, () => rescheduleAppointment(request, bed.contextFor(who)));
    expect(kinds(outcomes)).toEqual([
      'AppointmentRescheduled',
      'AppointmentRescheduled',
      'AppointmentRescheduled',
    ]);
    for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
    expect(
      (await bed.eventsAbout(appointment.id)).filter((event) => event.type === 'appointment.rescheduled'),
    ).toHaveLength(1);

    // Moved on again; the first move's retry answers the first move and does not move it back.
    const onward = await rescheduleAppointment(
      { appointmentId: appointment.id, slotId: slots[2]!.id, idempotencyKey: key() },
      bed.contextFor(who),
    );
    expect(onward.__typename).toBe('AppointmentRescheduled');
    const before = await bed.snapshot();
    expect(await rescheduleAppointment(request, bed.contextFor(who))).toEqual(outcomes[0]);
    expect(await bed.snapshot()).toEqual(before);
    // The same key for another move is refused.
    const reused = await rescheduleAppointment({ ...request, slotId: slots[3]!.id }, bed.contextFor(who));
    expect(reused).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    expect(await bed.snapshot()).toEqual(before);
  });

  it('lets exactly one of two patients moving into one free slot have it; the other keeps their time', async () => {
    for (let round = 0; round < 5; round++) {
      const { slots } = await bed.newDoctor({ slots: 3 });
      const [mine, yours, wanted] = [slots[0]!, slots[1]!, slots[2]!];
      const [me, you] = [patient(), patient()];
      const [a, b] = [await booked(mine.id, me), await booked(yours.id, you)];
      const outcomes = await Promise.all([
        rescheduleAppointment(
          { appointmentId: a.id, slotId: wanted.id, idempotencyKey: key() },
          bed.contextFor(me),
        ),
        rescheduleAppointment(
          { appointmentId: b.id, slotId: wanted.id, idempotencyKey: key() },
          bed.contextFor(you),
        ),
      ]);
      expect(kinds(outcomes).sort()).toEqual(['AppointmentRescheduled', 'SlotUnavailable']);
      const loser =
        outcomes[0]?.__typename === 'SlotUnavailable' ? { id: a.id, slot: mine } : { id: b.id, slot: yours };
      expect(await bed.db.appointment.findUniqueOrThrow({ where: { id: loser.id } })).toMatchObject({
        status: 'booked',
        slotId: loser.slot.id,
      });
      expect((await bed.slot(loser.slot.id)).status).toBe('busy');
      expect(await bed.db.appointment.count({ where: { slotId: wanted.id, status: 'booked' } })).toBe(1);
    }
  });

  it('refuses a taken or live-held slot and changes nothing; a lapsed hold gives way', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const appointment = await booked(slots[0]!.id, who);
    await booked(slots[1]!.id);
    const hold = await holdSlot({ slotId: slots[2]!.id, idempotencyKey: key() }, bed.contextFor(patient()));
    if (hold.__typename !== 'SlotHeld') throw new Error(hold.__typename);
    const before = await bed.snapshot();
    for (const target of [slots[1]!, slots[2]!]) {
      const refused = await rescheduleAppointment(
        { appointmentId: appointment.id, slotId: target.id, idempotencyKey: key() },
        bed.contextFor(who),
      );
      expect(refused).toMatchObject({ __typename: 'SlotUnavailable', slotId: target.id });
    }
    expect(await bed.snapshot()).toEqual(before);

    await bed.lapse(hold.hold.id);
    const moved = await rescheduleAppointment(
      { appointmentId: appointment.id, slotId: slots[2]!.id, idempotencyKey: key() },
      bed.contextFor(who),
    );
    expect(moved.__typename).toBe('AppointmentRescheduled');
    expect((await bed.db.appointment.findUniqueOrThrow({ where: { id: hold.hold.id } })).status).toBe(
      'cancelled',
    );
  });

  it('refuses a move onto a time the patient is already booked at, with another doctor', async () => {
    const first = await bed.newDoctor({ slots: 2 });
    const second = await bed.newDoctor({ slots: 2, start: first.slots[0]!.start });
    const who = patient();
    const moving = await booked(first.slots[0]!.id, who);
    await booked(second.slots[1]!.id, who);
    const before = await bed.snapshot();
    const refused = await rescheduleAppointment(
      { appointmentId: moving.id, slotId: first.slots[1]!.id, idempotencyKey: key() },
      bed.contextFor(who),
    );
    expect(refused).toMatchObject({ __typename: 'SlotUnavailable', slotId: first.slots[1]!.id });
    expect(await bed.snapshot()).toEqual(before);
  });

  it('answers bad input with a typed InvalidInput and changes nothing', async () => {
    const { slots } = await bed.newDoctor({ slots: 6 });
    const telehealthDoctor = await bed.newDoctor({ telehealth: true, slots: 1 });
    const who = patient();
    const appointment = await booked(slots[0]!.id, who);
    const teleBooking = await booked(telehealthDoctor.slots[0]!.id, who, true);
    const hold = await holdSlot({ slotId: slots[1]!.id, idempotencyKey: key() }, bed.contextFor(who));
    if (hold.__typename !== 'SlotHeld') throw new Error(hold.__typename);
    const cancelled = await booked(slots[2]!.id, who);
    await cancelAppointment({ appointmentId: cancelled.id, idempotencyKey: key() }, bed.contextFor(who));
    const started = await bed.slotStartingIn(-1);
    const before = await bed.snapshot();
    const records = await bed.idempotencyRecords();
    const move = (appointmentId: string, slotId: string, idempotencyKey = key()) =>
      rescheduleAppointment({ appointmentId, slotId, idempotencyKey }, bed.contextFor(who));
    const early = await Promise.all([
      move('nope', slots[3]!.id),
      move(appointment.id, 'nope'),
      move(appointment.id, slots[3]!.id, 'short'),
    ]);
    expect(early.map((answer) => [answer.__typename, 'field' in answer ? answer.field : null])).toEqual([
      ['InvalidInput', 'appointmentId'],
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'idempotencyKey'],
    ]);
    expect(await bed.idempotencyRecords()).toBe(records);
    const late = await Promise.all([
      move(appointment.id, randomUUID()),
      move(appointment.id, slots[0]!.id),
      move(hold.hold.id, slots[3]!.id),
      move(cancelled.id, slots[3]!.id),
      move(teleBooking.id, slots[4]!.id),
      move(appointment.id, started.id),
    ]);
    expect(late.map((answer) => [answer.__typename, 'field' in answer ? answer.field : null])).toEqual([
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'appointmentId'],
      ['InvalidInput', 'appointmentId'],
      ['InvalidInput', 'slotId'],
      ['SlotUnavailable', null],
    ]);
    expect(await bed.snapshot()).toEqual(before);
  });

  it("answers another patient's booking as not found, keeps staff to their clinic, and changes nothing", async () => {
    const { slots, clinicId } = await bed.newDoctor();
    const elsewhere = await bed.newDoctor({
      slots: 1,
      start: new Date(slots[3]!.start.getTime() + 3_600_000),
    });
    const appointment = await booked(slots[0]!.id);
    const before = await bed.snapshot();
    const answers = await Promise.all([
      rescheduleAppointment(
        { appointmentId: appointment.id, slotId: slots[1]!.id, idempotencyKey: key() },
        bed.contextFor(patient()),
      ),
      rescheduleAppointment(
        { appointmentId: appointment.id, slotId: slots[1]!.id, idempotencyKey: key() },
        bed.contextFor(admin(randomUUID())),
      ),
      rescheduleAppointment(
        { appointmentId: appointment.id, slotId: elsewhere.slots[0]!.id, idempotencyKey: key() },
        bed.contextFor(admin(clinicId)),
      ),
    ]);
    expect(kinds(answers)).toEqual(['AppointmentNotFound', 'AppointmentNotFound', 'NotAllowed']);
    expect(await bed.snapshot()).toEqual(before);
    await expect(
      rescheduleAppointment(
        { appointmentId: appointment.id, slotId: slots[1]!.id, idempotencyKey: key() },
        bed.contextFor(null),
      ),
    ).rejects.toThrow(/Sign in/);
  });

  it('leaves the old slot withdrawn when its doctor is no longer available at that time', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const appointment = await booked(slots[0]!.id, who);
    await bed.db.slot.update({ where: { id: slots[0]!.id }, data: { status: 'busy_unavailable' } });
    const moved = await rescheduleAppointment(
      { appointmentId: appointment.id, slotId: slots[1]!.id, idempotencyKey: key() },
      bed.contextFor(who),
    );
    expect(moved.__typename).toBe('AppointmentRescheduled');
    expect((await bed.slot(slots[0]!.id)).status).toBe('busy_unavailable');
    // No slot.changed for a slot that did not change.
    expect(await bed.eventsAbout(slots[0]!.id)).toHaveLength(1);
  });
});

describe('random holds, bookings, cancellations and moves by two patients (property)', () => {
  type Step =
    | { kind: 'hold' | 'book'; patient: number; slot: number; copies: number }
    | { kind: 'confirm' | 'cancel' | 'lapse'; patient: number; which: number; copies: number }
    | { kind: 'reschedule'; patient: number; which: number; slot: number; copies: number };
  const SLOTS = 6;
  const patientIndex = fc.integer({ min: 0, max: 1 });
  const slot = fc.integer({ min: 0, max: SLOTS - 1 });
  const which = fc.nat({ max: 3 });
  const copies = fc.integer({ min: 1, max: 2 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constantFrom('hold' as const, 'book' as const),
      patient: patientIndex,
      slot,
      copies,
    }),
    fc.record({
      kind: fc.constantFrom('confirm' as const, 'cancel' as const, 'lapse' as const),
      patient: patientIndex,
      which,
      copies,
    }),
    fc.record({ kind: fc.constant('reschedule' as const), patient: patientIndex, which, slot, copies }),
  );
  const TYPED = new Set([
    'SlotHeld',
    'AppointmentBooked',
    'AppointmentCancelled',
    'AppointmentRescheduled',
    'SlotUnavailable',
    'HoldExpired',
    'AppointmentNotFound',
    'NotAllowed',
    'InvalidInput',
  ]);

  it('never leaves a slot with two live appointments, a booking on a free slot, or an overlap', async () => {
    /** What the runs answered, so a property that never reached a move or a confirmation fails too. */
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        async (rounds) => {
          // Two doctors at the same three times: a patient may race themself into an overlap too.
          const one: Doctor = await bed.newDoctor({ slots: 3 });
          const two: Doctor = await bed.newDoctor({ slots: 3, start: one.slots[0]!.start });
          const slots = [...one.slots, ...two.slots];
          const patients = [patient(), patient()];
          const theirs: string[][] = [[], []];
          const pick = (index: number, position: number) => {
            const list = theirs[index]!;
            return list.length === 0 ? randomUUID() : list[position % list.length]!;
          };
          for (const round of rounds) {
            const requests = round.map((current): (() => Promise<{ __typename: string }>) => {
              const who = patients[current.patient]!;
              const idempotencyKey = key();
              switch (current.kind) {
                case 'hold':
                  return () =>
                    holdSlot({ slotId: slots[current.slot]!.id, idempotencyKey }, bed.contextFor(who));
                case 'book':
                  return () =>
                    bookAppointment({ slotId: slots[current.slot]!.id, idempotencyKey }, bed.contextFor(who));
                case 'confirm': {
                  const holdId = pick(current.patient, current.which);
                  return () => bookAppointment({ holdId, idempotencyKey }, bed.contextFor(who));
                }
                case 'cancel': {
                  const appointmentId = pick(current.patient, current.which);
                  return () => cancelAppointment({ appointmentId, idempotencyKey }, bed.contextFor(who));
                }
                case 'reschedule': {
                  const appointmentId = pick(current.patient, current.which);
                  const slotId = slots[current.slot]!.id;
                  return () =>
                    rescheduleAppointment({ appointmentId, slotId, idempotencyKey }, bed.contextFor(who));
                }
                case 'lapse': {
                  // A stale hold: its minutes ran out, and no sweeper has passed.
                  const id = pick(current.patient, current.which);
                  return async () => {
                    await bed.db.appointment.updateMany({
                      where: { id, status: 'pending' },
                      data: { holdExpiresAt: new Date(Date.now() - 60_000) },
                    });
                    return { __typename: 'Lapsed' };
                  };
                }
              }
            });
            // Every step of a round at once, each sent `copies` times under its one key.
            const answers = await Promise.all(
              round.map((current, index) => atOnce(current.copies, requests[index]!)),
            );
            answers.forEach((copiesOf, index) => {
              for (const answer of copiesOf) {
                expect(answer).toEqual(copiesOf[0]);
                if (answer.__typename !== 'Lapsed') expect(TYPED).toContain(answer.__typename);
              }
              const kind = copiesOf[0]!.__typename;
              seen.set(kind, (seen.get(kind) ?? 0) + 1);
              const first = copiesOf[0] as { hold?: { id: string }; appointment?: { id: string } };
              const id = first.hold?.id ?? first.appointment?.id;
              const list = theirs[round[index]!.patient]!;
              if (id && !list.includes(id)) list.push(id);
            });
            expect(await bed.slotsOutOfStep()).toEqual([]);
            expect(await bed.activeOverlaps()).toBe(0);
          }
        },
      ),
      { numRuns: 40 },
    );
    for (const outcome of ['SlotHeld', 'AppointmentBooked', 'AppointmentCancelled', 'AppointmentRescheduled'])
      expect(seen.get(outcome)).toBeGreaterThan(0);
    for (const refusal of ['SlotUnavailable', 'HoldExpired', 'AppointmentNotFound', 'InvalidInput'])
      expect(seen.get(refusal)).toBeGreaterThan(0);
  });
});
