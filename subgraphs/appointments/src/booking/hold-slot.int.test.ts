import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { admin, atOnce, kinds, key, MINUTE, patient, useBookingBed } from '../testing/booking-bed';
import { bookAppointment } from './book-appointment';
import { cancelAppointment } from './cancel-appointment';
import { releaseExpiredHolds } from './claim-slot';
import { holdSlot, type HoldOutcome } from './hold-slot';

/** Holding a slot, and confirming the hold into a booking (bookAppointment with holdId), on real PostgreSQL. */
const bed = useBookingBed();

const holdOf = (outcome: HoldOutcome) => {
  if (outcome.__typename !== 'SlotHeld') throw new Error(`expected SlotHeld, got ${outcome.__typename}`);
  return outcome.hold;
};

describe('holdSlot', () => {
  it('holds a free slot busy-tentative for holdMinutes, with its slot.changed event', async () => {
    const { slots } = await bed.newDoctor();
    const slot = slots[0]!;
    const who = patient();
    const context = bed.contextFor(who, { holdMinutes: 7 });
    const before = Date.now();
    const outcome = await holdSlot({ slotId: slot.id, idempotencyKey: key() }, context);
    const after = Date.now();
    const hold = holdOf(outcome);
    expect(hold).toMatchObject({
      slotId: slot.id,
      clientId: who.subject,
      status: 'pending',
      telehealth: false,
    });
    if (outcome.__typename !== 'SlotHeld') return;
    expect(outcome.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 7 * MINUTE);
    expect(outcome.expiresAt.getTime()).toBeLessThanOrEqual(after + 7 * MINUTE);
    expect((await bed.slot(slot.id)).status).toBe('busy_tentative');
    const events = await bed.eventsAbout(slot.id);
    expect(events.map((event) => [event.type, (event.payload as { status: string }).status])).toEqual([
      ['slot.changed', 'busy-tentative'],
    ]);
    expect(context.pokes()).toBe(1);
  });

  it('answers the same hold sent three times at once alike, with one hold and one event', async () => {
    const { slots } = await bed.newDoctor();
    const slot = slots[0]!;
    const who = patient();
    const holdKey = key();
    const outcomes = await atOnce(3, () =>
      holdSlot({ slotId: slot.id, idempotencyKey: holdKey }, bed.contextFor(who)),
    );
    expect(kinds(outcomes)).toEqual(['SlotHeld', 'SlotHeld', 'SlotHeld']);
    for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
    expect(await bed.db.appointment.count({ where: { slotId: slot.id } })).toBe(1);
    expect(await bed.eventsAbout(slot.id)).toHaveLength(1);
    // Later, the same request still answers the first hold, not "you already hold it".
    const later = await holdSlot({ slotId: slot.id, idempotencyKey: holdKey }, bed.contextFor(who));
    expect(later).toEqual(outcomes[0]);
  });

  it('lets exactly one of many patients racing for one slot hold it', async () => {
    const { slots } = await bed.newDoctor();
    const slot = slots[0]!;
    const outcomes = await atOnce(12, () =>
      holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(patient())),
    );
    expect(kinds(outcomes).filter((kind) => kind === 'SlotHeld')).toHaveLength(1);
    expect(kinds(outcomes).filter((kind) => kind === 'SlotUnavailable')).toHaveLength(11);
    expect(await bed.db.appointment.count({ where: { slotId: slot.id } })).toBe(1);
    expect(await bed.eventsAbout(slot.id)).toHaveLength(1);
  });

  it('keeps a patient to holdsPerPatient live holds however the requests race; lapsed holds do not count', async () => {
    const { slots } = await bed.newDoctor({ slots: 6 });
    const who = patient();
    const outcomes = await Promise.all(
      slots
        .slice(0, 5)
        .map((slot) => holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(who))),
    );
    const held = outcomes.filter((outcome) => outcome.__typename === 'SlotHeld');
    expect(held).toHaveLength(2);
    expect(kinds(outcomes).filter((kind) => kind === 'NotAllowed')).toHaveLength(3);
    expect(await bed.db.appointment.count({ where: { clientId: who.subject } })).toBe(2);

    for (const outcome of held) await bed.lapse(holdOf(outcome).id);
    const third = await holdSlot({ slotId: slots[5]!.id, idempotencyKey: key() }, bed.contextFor(who));
    expect(third.__typename).toBe('SlotHeld');
  });

  it('keeps others off a held slot until the hold lapses, then lets the next claim take it', async () => {
    const { slots } = await bed.newDoctor();
    const slot = slots[0]!;
    const first = patient();
    const hold = holdOf(await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(first)));
    const other = patient();
    const refused = await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(other));
    expect(refused).toMatchObject({ __typename: 'SlotUnavailable', slotId: slot.id });
    const booked = await bookAppointment({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(other));
    expect(booked.__typename).toBe('SlotUnavailable');

    await bed.lapse(hold.id);
    const taken = await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(other));
    expect(holdOf(taken).clientId).toBe(other.subject);
    expect(await bed.db.appointment.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({
      status: 'cancelled',
      holdExpiresAt: null,
    });
  });

  it('refuses a slot that has started', async () => {
    const slot = await bed.slotStartingIn(-5);
    const before = await bed.snapshot();
    const outcome = await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(patient()));
    expect(outcome).toMatchObject({ __typename: 'SlotUnavailable', slotId: slot.id });
    expect(await bed.snapshot()).toEqual(before);
  });

  it('answers bad input with a typed InvalidInput and changes nothing', async () => {
    const { slots, clinicId } = await bed.newDoctor({ telehealth: false });
    const slot = slots[0]!;
    const who = patient();
    const before = await bed.snapshot();
    const records = await bed.idempotencyRecords();
    const answers = [
      await holdSlot({ slotId: 'not-a-slot', idempotencyKey: key() }, bed.contextFor(who)),
      await holdSlot({ slotId: slot.id, idempotencyKey: 'short' }, bed.contextFor(who)),
      await holdSlot(
        { slotId: slot.id, idempotencyKey: key(), clientId: 'nope' },
        bed.contextFor(admin(clinicId)),
      ),
      await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(admin(clinicId))),
    ];
    expect(answers.map((answer) => [answer.__typename, 'field' in answer ? answer.field : null])).toEqual([
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'idempotencyKey'],
      ['InvalidInput', 'clientId'],
      ['InvalidInput', 'clientId'],
    ]);
    // Refused before anything ran: not even the key is recorded.
    expect(await bed.idempotencyRecords()).toBe(records);

    const afterTheClaim = [
      await holdSlot({ slotId: randomUUID(), idempotencyKey: key() }, bed.contextFor(who)),
      await holdSlot({ slotId: slot.id, idempotencyKey: key(), telehealth: true }, bed.contextFor(who)),
    ];
    expect(
      afterTheClaim.map((answer) => [answer.__typename, 'field' in answer ? answer.field : null]),
    ).toEqual([
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'telehealth'],
    ]);
    expect(await bed.snapshot()).toEqual(before);
  });

  it('refuses to hold for someone else: another patient, an unlinked patient, another clinic, a doctor', async () => {
    const { slots, clinicId } = await bed.newDoctor();
    const slot = slots[0]!;
    const linked = randomUUID();
    await bed.link(linked, clinicId);
    const elsewhere = randomUUID();
    await bed.link(elsewhere, randomUUID());
    const otherClinicAdmin = admin(randomUUID());
    await bed.link(linked, otherClinicAdmin.clinicId!);
    const before = await bed.snapshot();
    const answers = await Promise.all([
      holdSlot({ slotId: slot.id, idempotencyKey: key(), clientId: linked }, bed.contextFor(patient())),
      holdSlot(
        { slotId: slot.id, idempotencyKey: key(), clientId: elsewhere },
        bed.contextFor(admin(clinicId)),
      ),
      holdSlot(
        { slotId: slot.id, idempotencyKey: key(), clientId: linked },
        bed.contextFor(otherClinicAdmin),
      ),
      holdSlot(
        { slotId: slot.id, idempotencyKey: key(), clientId: linked },
        bed.contextFor({ role: 'Doctor', subject: 'dr-1', clinicId }),
      ),
    ]);
    expect(kinds(answers)).toEqual(['NotAllowed', 'NotAllowed', 'NotAllowed', 'NotAllowed']);
    expect(await bed.snapshot()).toEqual(before);
    await expect(holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(null))).rejects.toThrow(
      /Sign in/,
    );

    // Their own clinic's staff may hold for a linked patient.
    const staffHold = await holdSlot(
      { slotId: slot.id, idempotencyKey: key(), clientId: linked },
      bed.contextFor(admin(clinicId)),
    );
    expect(holdOf(staffHold).clientId).toBe(linked);
  });

  it('refuses a key reused for another slot, and changes nothing', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const reused = key();
    const first = await holdSlot({ slotId: slots[0]!.id, idempotencyKey: reused }, bed.contextFor(who));
    expect(first.__typename).toBe('SlotHeld');
    const before = await bed.snapshot();
    const second = await holdSlot({ slotId: slots[1]!.id, idempotencyKey: reused }, bed.contextFor(who));
    expect(second).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    expect(await bed.snapshot()).toEqual(before);
    // Another patient's same key is theirs alone.
    const theirs = await holdSlot(
      { slotId: slots[1]!.id, idempotencyKey: reused },
      bed.contextFor(patient()),
    );
    expect(theirs.__typename).toBe('SlotHeld');
  });
});

describe('confirming a hold (bookAppointment with holdId)', () => {
  it('turns the hold into a booking on a busy slot, with its events', async () => {
    const { slots } = await bed.newDoctor();
    const slot = slots[0]!;
    const who = patient();
    const hold = holdOf(await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(who)));
    const context = bed.contextFor(who);
    const outcome = await bookAppointment(
      { holdId: hold.id, idempotencyKey: key(), reasonForVisit: '  Check-up  ' },
      context,
    );
    expect(outcome).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: { id: hold.id, status: 'booked', holdExpiresAt: null, reasonForVisit: 'Check-up' },
    });
    expect((await bed.slot(slot.id)).status).toBe('busy');
    expect((await bed.eventsAbout(hold.id)).map((event) => event.type)).toEqual(['appointment.booked']);
    expect(
      (await bed.eventsAbout(slot.id)).map((event) => (event.payload as { status: string }).status),
    ).toEqual(['busy-tentative', 'busy']);
    expect(context.pokes()).toBe(1);
  });

  it('answers the same confirmation sent three times at once alike, with one booked event', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const hold = holdOf(await holdSlot({ slotId: slots[0]!.id, idempotencyKey: key() }, bed.contextFor(who)));
    const confirmKey = key();
    const outcomes = await atOnce(3, () =>
      bookAppointment({ holdId: hold.id, idempotencyKey: confirmKey }, bed.contextFor(who)),
    );
    expect(kinds(outcomes)).toEqual(['AppointmentBooked', 'AppointmentBooked', 'AppointmentBooked']);
    for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
    expect(await bed.eventsAbout(hold.id)).toHaveLength(1);
    // A second confirmation under a new key finds no hold left to confirm, and changes nothing.
    const before = await bed.snapshot();
    const again = await bookAppointment({ holdId: hold.id, idempotencyKey: key() }, bed.contextFor(who));
    expect(again.__typename).toBe('HoldExpired');
    expect(await bed.snapshot()).toEqual(before);
  });

  it('answers HoldExpired for a lapsed hold and changes nothing; the slot is then anyone’s', async () => {
    const { slots } = await bed.newDoctor();
    const slot = slots[0]!;
    const who = patient();
    const hold = holdOf(await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(who)));
    await bed.lapse(hold.id);
    const before = await bed.snapshot();
    const late = await bookAppointment({ holdId: hold.id, idempotencyKey: key() }, bed.contextFor(who));
    expect(late).toMatchObject({ __typename: 'HoldExpired', holdId: hold.id });
    expect(await bed.snapshot()).toEqual(before);

    const other = patient();
    const booked = await bookAppointment({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(other));
    expect(booked).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: { clientId: other.subject },
    });
    // The stale hold, confirmed once more, cannot take the slot back.
    const stale = await bookAppointment({ holdId: hold.id, idempotencyKey: key() }, bed.contextFor(who));
    expect(stale.__typename).toBe('HoldExpired');
    expect(await bed.db.appointment.count({ where: { slotId: slot.id, status: 'booked' } })).toBe(1);
  });

  it('races a confirmation against another patient booking the lapsed hold’s slot: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const { slots } = await bed.newDoctor({ slots: 1 });
      const slot = slots[0]!;
      const who = patient();
      const hold = holdOf(await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(who)));
      await bed.lapse(hold.id);
      const outcomes = await Promise.all([
        bookAppointment({ holdId: hold.id, idempotencyKey: key() }, bed.contextFor(who)),
        bookAppointment({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(patient())),
      ]);
      // The hold lapsed before either ran, so the confirmation cannot win; the other booking must.
      expect(kinds(outcomes)).toEqual(['HoldExpired', 'AppointmentBooked']);
      expect(
        await bed.db.appointment.count({ where: { slotId: slot.id, status: { in: ['pending', 'booked'] } } }),
      ).toBe(1);
    }
  });

  it("answers another patient's hold as not found, and changes nothing", async () => {
    const { slots, clinicId } = await bed.newDoctor();
    const owner = patient();
    const hold = holdOf(
      await holdSlot({ slotId: slots[0]!.id, idempotencyKey: key() }, bed.contextFor(owner)),
    );
    const before = await bed.snapshot();
    const answers = await Promise.all([
      bookAppointment({ holdId: hold.id, idempotencyKey: key() }, bed.contextFor(patient())),
      bookAppointment({ holdId: hold.id, idempotencyKey: key() }, bed.contextFor(admin(randomUUID()))),
      // Their clinic's staff, but the patient never linked themself to it.
      bookAppointment({ holdId: hold.id, idempotencyKey: key() }, bed.contextFor(admin(clinicId))),
      bookAppointment({ holdId: randomUUID(), idempotencyKey: key() }, bed.contextFor(owner)),
    ]);
    expect(kinds(answers)).toEqual([
      'AppointmentNotFound',
      'AppointmentNotFound',
      'NotAllowed',
      'AppointmentNotFound',
    ]);
    expect(await bed.snapshot()).toEqual(before);
  });

  it('refuses bad input to a confirmation and changes nothing', async () => {
    const { slots } = await bed.newDoctor({ telehealth: true });
    const who = patient();
    const hold = holdOf(await holdSlot({ slotId: slots[0]!.id, idempotencyKey: key() }, bed.contextFor(who)));
    const before = await bed.snapshot();
    const answers = await Promise.all([
      bookAppointment({ holdId: hold.id, slotId: slots[0]!.id, idempotencyKey: key() }, bed.contextFor(who)),
      bookAppointment({ holdId: 'not-a-hold', idempotencyKey: key() }, bed.contextFor(who)),
      bookAppointment(
        { holdId: hold.id, idempotencyKey: key(), reasonForVisit: 'x'.repeat(201) },
        bed.contextFor(who),
      ),
      // Held in person; confirming cannot turn it into telehealth.
      bookAppointment({ holdId: hold.id, idempotencyKey: key(), telehealth: true }, bed.contextFor(who)),
    ]);
    expect(answers.map((answer) => [answer.__typename, 'field' in answer ? answer.field : null])).toEqual([
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'holdId'],
      ['InvalidInput', 'reasonForVisit'],
      ['InvalidInput', 'telehealth'],
    ]);
    expect(await bed.snapshot()).toEqual(before);
  });

  it('keeps a telehealth hold telehealth when confirmed', async () => {
    const { slots } = await bed.newDoctor({ telehealth: true });
    const who = patient();
    const hold = holdOf(
      await holdSlot({ slotId: slots[0]!.id, idempotencyKey: key(), telehealth: true }, bed.contextFor(who)),
    );
    const booked = await bookAppointment({ holdId: hold.id, idempotencyKey: key() }, bed.contextFor(who));
    expect(booked).toMatchObject({ __typename: 'AppointmentBooked', appointment: { telehealth: true } });
  });

  it("does not let the patient's own lapsed hold keep them from another doctor at that time", async () => {
    const first = await bed.newDoctor({ slots: 1 });
    const second = await bed.newDoctor({ slots: 1, start: first.slots[0]!.start });
    const who = patient();
    const hold = holdOf(
      await holdSlot({ slotId: first.slots[0]!.id, idempotencyKey: key() }, bed.contextFor(who)),
    );
    await bed.lapse(hold.id);
    const elsewhere = await holdSlot(
      { slotId: second.slots[0]!.id, idempotencyKey: key() },
      bed.contextFor(who),
    );
    expect(elsewhere.__typename).toBe('SlotHeld');
  });

  it('refuses to confirm a hold whose slot has started meanwhile', async () => {
    const slot = await bed.slotStartingIn(3);
    const who = patient();
    const hold = holdOf(await holdSlot({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(who)));
    // Five minutes on: the slot began two minutes ago, and the 10-minute hold still runs.
    const startedAgo = { start: new Date(Date.now() - 2 * MINUTE), end: new Date(Date.now() + 28 * MINUTE) };
    await bed.db.slot.update({ where: { id: slot.id }, data: startedAgo });
    await bed.db.appointment.update({ where: { id: hold.id }, data: startedAgo });
    const confirmed = await bookAppointment({ holdId: hold.id, idempotencyKey: key() }, bed.contextFor(who));
    expect(confirmed.__typename).not.toBe('AppointmentBooked');
  });
});

describe('random holds, confirmations, cancellations, lapses and sweeps by three patients (property)', () => {
  type Step =
    | { kind: 'hold'; patient: number; slot: number; copies: number }
    | { kind: 'confirm' | 'cancel' | 'lapse'; patient: number; which: number; copies: number }
    | { kind: 'sweep'; copies: number };
  const SLOTS = 4;
  const who = fc.nat({ max: 2 });
  const which = fc.nat({ max: 3 });
  const copies = fc.integer({ min: 1, max: 2 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('hold' as const), patient: who, slot: fc.nat({ max: SLOTS - 1 }), copies }),
    fc.record({
      kind: fc.constantFrom('confirm' as const, 'cancel' as const, 'lapse' as const),
      patient: who,
      which,
      copies,
    }),
    fc.record({ kind: fc.constant('sweep' as const), copies }),
  );

  it('never confirms a stale hold, never lets a patient hold past the limit, and keeps every slot in step', async () => {
    const seen = new Map<string, number>();
    const explore = () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(step, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
          async (rounds) => {
            const { slots } = await bed.newDoctor({ slots: SLOTS });
            const patients = [patient(), patient(), patient()];
            const holds: string[][] = [[], [], []];
            const pick = (index: number, position: number) => {
              const list = holds[index]!;
              return list.length === 0 ? randomUUID() : list[position % list.length]!;
            };
            for (const round of rounds) {
              // Holds that had lapsed before the round began: no confirmation in it may book them.
              const stale = new Set(
                (
                  await bed.db.appointment.findMany({
                    where: {
                      slotId: { in: slots.map((slot) => slot.id) },
                      status: 'pending',
                      holdExpiresAt: { lt: new Date() },
                    },
                    select: { id: true },
                  })
                ).map((hold) => hold.id),
              );
              const requests = round.map((current): (() => Promise<{ __typename: string; id?: string }>) => {
                const idempotencyKey = key();
                switch (current.kind) {
                  case 'hold':
                    return async () => {
                      const outcome = await holdSlot(
                        { slotId: slots[current.slot]!.id, idempotencyKey },
                        bed.contextFor(patients[current.patient]!),
                      );
                      return outcome.__typename === 'SlotHeld'
                        ? { ...outcome, id: outcome.hold.id }
                        : outcome;
                    };
                  case 'confirm': {
                    const holdId = pick(current.patient, current.which);
                    return async () => ({
                      ...(await bookAppointment(
                        { holdId, idempotencyKey },
                        bed.contextFor(patients[current.patient]!),
                      )),
                      id: holdId,
                    });
                  }
                  case 'cancel': {
                    const appointmentId = pick(current.patient, current.which);
                    return () =>
                      cancelAppointment(
                        { appointmentId, idempotencyKey },
                        bed.contextFor(patients[current.patient]!),
                      );
                  }
                  case 'lapse': {
                    const id = pick(current.patient, current.which);
                    return async () => {
                      await bed.db.appointment.updateMany({
                        where: { id, status: 'pending' },
                        data: { holdExpiresAt: new Date(Date.now() - MINUTE) },
                      });
                      return { __typename: 'Lapsed' };
                    };
                  }
                  case 'sweep':
                    // What the hold sweeper does every 30 s (it logs a failure and tries again next time).
                    return async () => {
                      try {
                        await bed.db.$transaction((tx) => releaseExpiredHolds(tx));
                        return { __typename: 'Swept' };
                      } catch {
                        // Not a claim's failure; counted as an answer of its own.
                        return { __typename: 'SweepFailed' };
                      }
                    };
                }
              });
              const answers = await Promise.all(
                round.map((current, index) => atOnce(current.copies, requests[index]!)),
              );
              answers.forEach((copiesOf, index) => {
                const current = round[index]!;
                const first = copiesOf[0]!;
                if (current.kind !== 'sweep' && current.kind !== 'lapse') {
                  for (const answer of copiesOf) expect(answer).toEqual(first);
                }
                seen.set(first.__typename, (seen.get(first.__typename) ?? 0) + 1);
                if (current.kind === 'confirm' && stale.has(first.id ?? ''))
                  expect(first.__typename).toBe('HoldExpired');
                if (current.kind === 'hold' && first.id && !holds[current.patient]!.includes(first.id)) {
                  holds[current.patient]!.push(first.id);
                }
              });
              expect(await bed.slotsOutOfStep()).toEqual([]);
              expect(await bed.activeOverlaps()).toBe(0);
              const live = await bed.db.appointment.groupBy({
                by: ['clientId'],
                where: { status: 'pending', holdExpiresAt: { gt: new Date() } },
                _count: true,
              });
              for (const row of live) expect(row._count).toBeLessThanOrEqual(2);
            }
          },
        ),
        { numRuns: 30 },
      );
    // The property must have met every outcome, or it proved little. Random rounds miss one now and
    // then, so while one is missing another batch of runs explores, up to five.
    const outcomes = [
      'SlotHeld',
      'AppointmentBooked',
      'AppointmentCancelled',
      'HoldExpired',
      'NotAllowed',
      'SlotUnavailable',
    ];
    const unseen = () => outcomes.filter((outcome) => !seen.has(outcome));
    for (let batch = 0; batch < 5 && (batch === 0 || unseen().length > 0); batch++) await explore();
    expect(unseen()).toEqual([]);
  });
});
