import { randomUUID } from 'node:crypto';
import { admin, atOnce, kinds, key, patient, useBookingBed } from '../testing/booking-bed';
import { bookAppointment } from './book-appointment';
import { holdSlot } from './hold-slot';

/**
 * Booking a free slot, at service level on real PostgreSQL (confirming a hold is in hold-slot.int.test.ts;
 * the whole path through the gateway, with the audit trail, in system/booking/book-appointment.int.test.ts).
 */
const bed = useBookingBed();

const fields = (answers: { __typename: string }[]) =>
  answers.map((answer) => [answer.__typename, 'field' in answer ? answer.field : null]);

describe('bookAppointment with a free slot', () => {
  it('books it busy for the patient, with both events', async () => {
    const { slots } = await bed.newDoctor();
    const slot = slots[0]!;
    const who = patient();
    const context = bed.contextFor(who);
    const outcome = await bookAppointment(
      { slotId: slot.id, idempotencyKey: key(), reasonForVisit: '  Check-up ' },
      context,
    );
    expect(outcome).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: {
        slotId: slot.id,
        doctorId: slot.doctorId,
        clinicId: slot.clinicId,
        clientId: who.subject,
        start: slot.start,
        end: slot.end,
        status: 'booked',
        reasonForVisit: 'Check-up',
        telehealth: false,
      },
    });
    if (outcome.__typename !== 'AppointmentBooked') return;
    expect((await bed.slot(slot.id)).status).toBe('busy');
    expect((await bed.eventsAbout(outcome.appointment.id)).map((event) => event.type)).toEqual([
      'appointment.booked',
    ]);
    expect(
      (await bed.eventsAbout(slot.id)).map((event) => (event.payload as { status: string }).status),
    ).toEqual(['busy']);
    expect(context.pokes()).toBe(1);
  });

  it('answers the same booking sent three times at once alike, with one appointment and one event', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const bookKey = key();
    const outcomes = await atOnce(3, () =>
      bookAppointment(
        { slotId: slots[0]!.id, idempotencyKey: bookKey, reasonForVisit: 'Cough' },
        bed.contextFor(who),
      ),
    );
    expect(kinds(outcomes)).toEqual(['AppointmentBooked', 'AppointmentBooked', 'AppointmentBooked']);
    for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
    expect(await bed.db.appointment.count({ where: { slotId: slots[0]!.id } })).toBe(1);
    expect(await bed.eventsAbout(slots[0]!.id)).toHaveLength(1);
    // The same request with its reason typed with other spaces is the same request.
    const before = await bed.snapshot();
    const retyped = await bookAppointment(
      { slotId: slots[0]!.id, idempotencyKey: bookKey, reasonForVisit: ' Cough  ' },
      bed.contextFor(who),
    );
    expect(retyped).toEqual(outcomes[0]);
    // Another slot under the key is another request: refused, naming the key.
    const reused = await bookAppointment(
      { slotId: slots[1]!.id, idempotencyKey: bookKey, reasonForVisit: 'Cough' },
      bed.contextFor(who),
    );
    expect(reused).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    expect(await bed.snapshot()).toEqual(before);
  });

  it('lets exactly one of many patients racing for one slot book it', async () => {
    const { slots } = await bed.newDoctor({ slots: 1 });
    const outcomes = await atOnce(16, () =>
      bookAppointment({ slotId: slots[0]!.id, idempotencyKey: key() }, bed.contextFor(patient())),
    );
    expect(kinds(outcomes).filter((kind) => kind === 'AppointmentBooked')).toHaveLength(1);
    expect(kinds(outcomes).filter((kind) => kind === 'SlotUnavailable')).toHaveLength(15);
    expect(await bed.db.appointment.count({ where: { slotId: slots[0]!.id } })).toBe(1);
  });

  it('lets one patient booking two doctors at the same time at once have only one', async () => {
    for (let round = 0; round < 5; round++) {
      const one = await bed.newDoctor({ slots: 1 });
      const two = await bed.newDoctor({ slots: 1, start: one.slots[0]!.start });
      const who = patient();
      const outcomes = await Promise.all(
        [one, two].map((doctor) =>
          bookAppointment({ slotId: doctor.slots[0]!.id, idempotencyKey: key() }, bed.contextFor(who)),
        ),
      );
      expect(kinds(outcomes).sort()).toEqual(['AppointmentBooked', 'SlotUnavailable']);
      const loser = outcomes[0]?.__typename === 'SlotUnavailable' ? one : two;
      expect((await bed.slot(loser.slots[0]!.id)).status).toBe('free');
    }
  });

  it('takes a slot whose hold lapsed, and cancels the hold', async () => {
    const { slots } = await bed.newDoctor();
    const held = await holdSlot({ slotId: slots[0]!.id, idempotencyKey: key() }, bed.contextFor(patient()));
    if (held.__typename !== 'SlotHeld') throw new Error(held.__typename);
    await bed.lapse(held.hold.id);
    const booked = await bookAppointment(
      { slotId: slots[0]!.id, idempotencyKey: key() },
      bed.contextFor(patient()),
    );
    expect(booked.__typename).toBe('AppointmentBooked');
    expect((await bed.db.appointment.findUniqueOrThrow({ where: { id: held.hold.id } })).status).toBe(
      'cancelled',
    );
  });

  it('answers bad input with a typed InvalidInput and changes nothing', async () => {
    const { slots } = await bed.newDoctor({ telehealth: false });
    const slot = slots[0]!;
    const who = patient();
    const started = await bed.slotStartingIn(-1);
    const before = await bed.snapshot();
    const records = await bed.idempotencyRecords();
    const book = (input: Partial<Parameters<typeof bookAppointment>[0]>) =>
      bookAppointment({ idempotencyKey: key(), ...input }, bed.contextFor(who));
    const early = await Promise.all([
      book({}),
      book({ slotId: slot.id, holdId: randomUUID() }),
      book({ slotId: 'nope' }),
      book({ slotId: slot.id, idempotencyKey: 'short' }),
      book({ slotId: slot.id, reasonForVisit: 'x'.repeat(201) }),
      bookAppointment({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(admin(slot.clinicId))),
    ]);
    expect(fields(early)).toEqual([
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'idempotencyKey'],
      ['InvalidInput', 'reasonForVisit'],
      ['InvalidInput', 'clientId'],
    ]);
    expect(await bed.idempotencyRecords()).toBe(records);
    const late = await Promise.all([
      book({ slotId: randomUUID() }),
      book({ slotId: slot.id, telehealth: true }),
      book({ slotId: started.id }),
    ]);
    expect(fields(late)).toEqual([
      ['InvalidInput', 'slotId'],
      ['InvalidInput', 'telehealth'],
      ['SlotUnavailable', null],
    ]);
    expect(await bed.snapshot()).toEqual(before);
  });

  it('refuses to book for someone else: another patient, an unlinked patient, another clinic, a doctor', async () => {
    const { slots, clinicId } = await bed.newDoctor();
    const slot = slots[0]!;
    const linked = randomUUID();
    await bed.link(linked, clinicId);
    const otherClinic = randomUUID();
    await bed.link(linked, otherClinic);
    const before = await bed.snapshot();
    const answers = await Promise.all([
      bookAppointment(
        { slotId: slot.id, idempotencyKey: key(), clientId: linked },
        bed.contextFor(patient()),
      ),
      bookAppointment(
        { slotId: slot.id, idempotencyKey: key(), clientId: randomUUID() },
        bed.contextFor(admin(clinicId)),
      ),
      bookAppointment(
        { slotId: slot.id, idempotencyKey: key(), clientId: linked },
        bed.contextFor(admin(otherClinic)),
      ),
      bookAppointment(
        { slotId: slot.id, idempotencyKey: key(), clientId: linked },
        bed.contextFor({ role: 'Doctor', subject: 'dr-1', clinicId }),
      ),
    ]);
    expect(kinds(answers)).toEqual(['NotAllowed', 'NotAllowed', 'NotAllowed', 'NotAllowed']);
    expect(await bed.snapshot()).toEqual(before);
    await expect(
      bookAppointment({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(null)),
    ).rejects.toThrow(/Sign in/);
    const forLinked = await bookAppointment(
      { slotId: slot.id, idempotencyKey: key(), clientId: linked },
      bed.contextFor(admin(clinicId)),
    );
    expect(forLinked).toMatchObject({ __typename: 'AppointmentBooked', appointment: { clientId: linked } });
  });

  it("does not let the patient's own lapsed hold keep them from booking another doctor then", async () => {
    const one = await bed.newDoctor({ slots: 1 });
    const two = await bed.newDoctor({ slots: 1, start: one.slots[0]!.start });
    const who = patient();
    const held = await holdSlot({ slotId: one.slots[0]!.id, idempotencyKey: key() }, bed.contextFor(who));
    if (held.__typename !== 'SlotHeld') throw new Error(held.__typename);
    await bed.lapse(held.hold.id);
    const booked = await bookAppointment(
      { slotId: two.slots[0]!.id, idempotencyKey: key() },
      bed.contextFor(who),
    );
    expect(booked.__typename).toBe('AppointmentBooked');
  });
});
