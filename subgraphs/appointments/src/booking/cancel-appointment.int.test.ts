import { randomUUID } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { admin, atOnce, kinds, key, MINUTE, patient, useBookingBed } from '../testing/booking-bed';
import { bookAppointment } from './book-appointment';
import { cancelAppointment } from './cancel-appointment';
import { holdSlot } from './hold-slot';
import { rescheduleAppointment } from './reschedule-appointment';

/** Cancelling a booking or a hold, and giving its slot back, on real PostgreSQL. */
const bed = useBookingBed();

async function booked(slotId: string, who: Identity = patient()) {
  const outcome = await bookAppointment({ slotId, idempotencyKey: key() }, bed.contextFor(who));
  if (outcome.__typename !== 'AppointmentBooked') throw new Error(`not booked: ${outcome.__typename}`);
  return outcome.appointment;
}

async function held(slotId: string, who: Identity = patient()) {
  const outcome = await holdSlot({ slotId, idempotencyKey: key() }, bed.contextFor(who));
  if (outcome.__typename !== 'SlotHeld') throw new Error(`not held: ${outcome.__typename}`);
  return outcome.hold;
}

describe('cancelAppointment', () => {
  it('cancels a booking and frees its slot, with both events', async () => {
    const { slots } = await bed.newDoctor();
    const slot = slots[0]!;
    const who = patient();
    const appointment = await booked(slot.id, who);
    const context = bed.contextFor(who);
    const outcome = await cancelAppointment(
      { appointmentId: appointment.id, idempotencyKey: key() },
      context,
    );
    expect(outcome).toMatchObject({
      __typename: 'AppointmentCancelled',
      appointment: { id: appointment.id, status: 'cancelled' },
    });
    expect((await bed.slot(slot.id)).status).toBe('free');
    expect((await bed.eventsAbout(appointment.id)).map((event) => event.type)).toEqual([
      'appointment.booked',
      'appointment.cancelled',
    ]);
    expect(
      (await bed.eventsAbout(slot.id)).map((event) => (event.payload as { status: string }).status),
    ).toEqual(['busy', 'free']);
    expect(context.pokes()).toBe(1);
    // The freed time can be booked again.
    expect((await booked(slot.id)).slotId).toBe(slot.id);
  });

  it('cancels a hold and frees its slot', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const hold = await held(slots[0]!.id, who);
    const outcome = await cancelAppointment(
      { appointmentId: hold.id, idempotencyKey: key() },
      bed.contextFor(who),
    );
    expect(outcome).toMatchObject({
      __typename: 'AppointmentCancelled',
      appointment: { holdExpiresAt: null },
    });
    expect((await bed.slot(slots[0]!.id)).status).toBe('free');
  });

  it('lets the clinic’s staff cancel at their clinic, and no one else’s', async () => {
    const { slots, clinicId } = await bed.newDoctor();
    const appointment = await booked(slots[0]!.id);
    const before = await bed.snapshot();
    const refused = await cancelAppointment(
      { appointmentId: appointment.id, idempotencyKey: key() },
      bed.contextFor(admin(randomUUID())),
    );
    expect(refused.__typename).toBe('AppointmentNotFound');
    expect(await bed.snapshot()).toEqual(before);
    const cancelled = await cancelAppointment(
      { appointmentId: appointment.id, idempotencyKey: key() },
      bed.contextFor(admin(clinicId)),
    );
    expect(cancelled.__typename).toBe('AppointmentCancelled');
  });

  it('answers the same cancellation sent three times at once alike, with one cancelled event', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const appointment = await booked(slots[0]!.id, who);
    const cancelKey = key();
    const outcomes = await atOnce(3, () =>
      cancelAppointment({ appointmentId: appointment.id, idempotencyKey: cancelKey }, bed.contextFor(who)),
    );
    expect(kinds(outcomes)).toEqual(['AppointmentCancelled', 'AppointmentCancelled', 'AppointmentCancelled']);
    for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
    expect(
      (await bed.eventsAbout(appointment.id)).filter((event) => event.type === 'appointment.cancelled'),
    ).toHaveLength(1);

    // Someone else books the freed time; a late retry of the cancellation answers as before and leaves
    // their booking alone.
    const theirs = await booked(slots[0]!.id);
    const before = await bed.snapshot();
    const retry = await cancelAppointment(
      { appointmentId: appointment.id, idempotencyKey: cancelKey },
      bed.contextFor(who),
    );
    expect(retry).toEqual(outcomes[0]);
    expect(await bed.snapshot()).toEqual(before);
    expect((await bed.db.appointment.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe('booked');

    // Cancelling again under a new key is refused: it is cancelled already.
    const again = await cancelAppointment(
      { appointmentId: appointment.id, idempotencyKey: key() },
      bed.contextFor(who),
    );
    expect(again).toMatchObject({ __typename: 'InvalidInput', field: 'appointmentId' });
    expect(await bed.snapshot()).toEqual(before);
  });

  it("answers another patient's booking as not found, and changes nothing", async () => {
    const { slots } = await bed.newDoctor();
    const appointment = await booked(slots[0]!.id);
    const before = await bed.snapshot();
    const answers = await Promise.all([
      cancelAppointment({ appointmentId: appointment.id, idempotencyKey: key() }, bed.contextFor(patient())),
      cancelAppointment(
        { appointmentId: appointment.id, idempotencyKey: key() },
        bed.contextFor({ role: 'Doctor', subject: 'dr-1', clinicId: appointment.clinicId }),
      ),
    ]);
    expect(kinds(answers)).toEqual(['AppointmentNotFound', 'AppointmentNotFound']);
    expect(await bed.snapshot()).toEqual(before);
    await expect(
      cancelAppointment({ appointmentId: appointment.id, idempotencyKey: key() }, bed.contextFor(null)),
    ).rejects.toThrow(/Sign in/);
  });

  it('answers bad input with a typed outcome and changes nothing', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const appointment = await booked(slots[0]!.id, who);
    const past = await bed.slotStartingIn(-90);
    // A booking whose time has passed (inserted as it stands once the visit is over).
    const over = await bed.db.appointment.create({
      data: {
        id: randomUUID(),
        slotId: past.id,
        doctorId: past.doctorId,
        clinicId: past.clinicId,
        clientId: who.subject,
        start: past.start,
        end: past.end,
        status: 'booked',
      },
    });
    await bed.db.slot.update({ where: { id: past.id }, data: { status: 'busy' } });
    const before = await bed.snapshot();
    const records = await bed.idempotencyRecords();
    const early = await Promise.all([
      cancelAppointment({ appointmentId: 'not-an-id', idempotencyKey: key() }, bed.contextFor(who)),
      cancelAppointment({ appointmentId: appointment.id, idempotencyKey: 'x' }, bed.contextFor(who)),
    ]);
    expect(early).toMatchObject([
      { __typename: 'InvalidInput', field: 'appointmentId' },
      { __typename: 'InvalidInput', field: 'idempotencyKey' },
    ]);
    expect(await bed.idempotencyRecords()).toBe(records);
    const late = await Promise.all([
      cancelAppointment({ appointmentId: randomUUID(), idempotencyKey: key() }, bed.contextFor(who)),
      cancelAppointment({ appointmentId: over.id, idempotencyKey: key() }, bed.contextFor(who)),
    ]);
    expect(late).toMatchObject([
      { __typename: 'AppointmentNotFound' },
      { __typename: 'InvalidInput', field: 'appointmentId' },
    ]);
    expect(await bed.snapshot()).toEqual(before);
  });

  it('refuses a key reused for another appointment, and changes nothing', async () => {
    const { slots } = await bed.newDoctor();
    const who = patient();
    const [first, second] = [await booked(slots[0]!.id, who), await booked(slots[1]!.id, who)];
    const reused = key();
    await cancelAppointment({ appointmentId: first.id, idempotencyKey: reused }, bed.contextFor(who));
    const before = await bed.snapshot();
    const answer = await cancelAppointment(
      { appointmentId: second.id, idempotencyKey: reused },
      bed.contextFor(who),
    );
    expect(answer).toMatchObject({ __typename: 'InvalidInput', field: 'idempotencyKey' });
    expect(await bed.snapshot()).toEqual(before);
  });
});

describe('a stale hold', () => {
  it('cancelled after another patient took its slot, leaves their booking alone', async () => {
    const { slots } = await bed.newDoctor();
    const slot = slots[0]!;
    const owner = patient();
    const hold = await held(slot.id, owner);
    await bed.lapse(hold.id);
    const theirs = await booked(slot.id);
    const before = await bed.snapshot();
    const late = await cancelAppointment(
      { appointmentId: hold.id, idempotencyKey: key() },
      bed.contextFor(owner),
    );
    expect(late).toMatchObject({ __typename: 'InvalidInput', field: 'appointmentId' });
    expect(await bed.snapshot()).toEqual(before);
    expect((await bed.slot(slot.id)).status).toBe('busy');
    expect((await bed.db.appointment.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe('booked');
  });

  it('cancelled while another patient books its slot: one booking stands on a busy slot', async () => {
    for (let round = 0; round < 5; round++) {
      const { slots } = await bed.newDoctor({ slots: 1 });
      const slot = slots[0]!;
      const owner = patient();
      const hold = await held(slot.id, owner);
      await bed.lapse(hold.id);
      const [cancelled, other] = await Promise.all([
        cancelAppointment({ appointmentId: hold.id, idempotencyKey: key() }, bed.contextFor(owner)),
        bookAppointment({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(patient())),
      ]);
      // Whichever ran first, the other patient gets the slot: a lapsed hold keeps nobody off it.
      expect(other.__typename).toBe('AppointmentBooked');
      expect(['AppointmentCancelled', 'InvalidInput']).toContain(cancelled.__typename);
      expect((await bed.slot(slot.id)).status).toBe('busy');
      expect(await bed.db.appointment.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({
        status: 'cancelled',
      });
    }
  });
});

describe('cancelling while the same booking moves', () => {
  it('cancels the booking wherever the concurrent reschedule left it, and frees both times', async () => {
    for (let round = 0; round < 6; round++) {
      const { slots } = await bed.newDoctor({ slots: 2 });
      const [from, to] = [slots[0]!, slots[1]!];
      const who = patient();
      const appointment = await booked(from.id, who);
      const [cancelled, moved] = await Promise.all([
        cancelAppointment({ appointmentId: appointment.id, idempotencyKey: key() }, bed.contextFor(who)),
        rescheduleAppointment(
          { appointmentId: appointment.id, slotId: to.id, idempotencyKey: key() },
          bed.contextFor(who),
        ),
      ]);
      expect(cancelled.__typename).toBe('AppointmentCancelled');
      // Moved first, then cancelled where it went; or cancelled first, and the move refused.
      expect(['AppointmentRescheduled', 'InvalidInput']).toContain(moved.__typename);
      expect((await bed.slot(from.id)).status).toBe('free');
      expect((await bed.slot(to.id)).status).toBe('free');
      expect(
        await bed.db.appointment.count({
          where: { clientId: who.subject, status: { in: ['pending', 'booked'] } },
        }),
      ).toBe(0);
    }
  });

  it('never frees a slot whose time has passed: nothing changes once the visit started', async () => {
    const slot = await bed.slotStartingIn(-5);
    const who = patient();
    const started = await bed.db.appointment.create({
      data: {
        id: randomUUID(),
        slotId: slot.id,
        doctorId: slot.doctorId,
        clinicId: slot.clinicId,
        clientId: who.subject,
        start: slot.start,
        end: new Date(slot.start.getTime() + 30 * MINUTE),
        status: 'booked',
      },
    });
    await bed.db.slot.update({ where: { id: slot.id }, data: { status: 'busy' } });
    const before = await bed.snapshot();
    const answer = await cancelAppointment(
      { appointmentId: started.id, idempotencyKey: key() },
      bed.contextFor(who),
    );
    expect(answer).toMatchObject({ __typename: 'InvalidInput', field: 'appointmentId' });
    expect(await bed.snapshot()).toEqual(before);
  });
});
