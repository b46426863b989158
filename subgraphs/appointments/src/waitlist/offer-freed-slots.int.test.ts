import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import { DateTime } from 'luxon';
import { bookAppointment } from '../booking/book-appointment';
import { cancelAppointment } from '../booking/cancel-appointment';
import { holdSlot } from '../booking/hold-slot';
import { atOnce, key, patient, useBookingBed, type Doctor } from '../testing/booking-bed';
import type { Slot } from '../generated/prisma/client';
import { retryFlaggedOnFreedSlot } from '../reassignment/freed-times-consumer';
import { SOLO_PRACTICES } from '../reassignment/practice-groups';
import { BROADCAST_FAN_OUT, offerFreedSlots, WAITLIST_CONSUMER } from './offer-freed-slots';
import { freeUp as freeUpSlot, lastFreed, newEntry, offeredEvents, sweepHolds, sydneyDay } from './testing';

const bed = useBookingBed();

const entry = (
  where: { clinicId?: string; doctorId?: string },
  times: { earliestStart?: string; latestStart?: string } = {},
) => newEntry(bed, where, times);
const freeUp = (slot: Slot) => freeUpSlot(bed, slot);

const sydneyMinute = (slot: Slot) => {
  const local = DateTime.fromJSDate(slot.start, { zone: 'Australia/Sydney' });
  return local.hour * 60 + local.minute;
};
const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const offersOf = (slotId: string) =>
  bed.db.waitlistOffer.findMany({ where: { slotId }, orderBy: { createdAt: 'asc' } });

async function sequential(doctor: Doctor, offerMinutes = 10) {
  await bed.db.waitlistSetting.create({
    data: { clinicId: doctor.clinicId, mode: 'sequential', offerMinutes },
  });
}

describe('offers of freed slots (broadcast, the default)', () => {
  it('offers a cancelled time to every matching entry, ids only, and to nobody else', async () => {
    const doctor = await bed.newDoctor();
    const other = await bed.newDoctor();
    const slot = doctor.slots[1] as Slot;
    const minute = sydneyMinute(slot);
    const a = await entry({ clinicId: doctor.clinicId });
    const b = await entry(
      { doctorId: doctor.doctorId },
      { earliestStart: hhmm(minute), latestStart: hhmm(minute) },
    );
    await entry({ clinicId: doctor.clinicId }, { latestStart: hhmm(minute - 1) }); // wants earlier times
    await entry({ clinicId: doctor.clinicId }, { earliestStart: hhmm(minute + 1) }); // wants later times
    await entry({ doctorId: other.doctorId }); // another clinic
    const left = await entry({ clinicId: doctor.clinicId });
    await bed.db.waitlistEntry.update({ where: { id: left.entryId }, data: { status: 'left' } });

    const freed = await freeUp(slot);
    expect(await offerFreedSlots(bed.db, [freed])).toBe(2);

    const offers = await offersOf(slot.id);
    expect(offers.map((offer) => offer.entryId).sort()).toEqual([a.entryId, b.entryId].sort());
    expect(offers.every((offer) => offer.mode === 'broadcast' && offer.holdId === null)).toBe(true);
    expect((await bed.slot(slot.id)).status).toBe('free');
    const events = await offeredEvents(
      bed,
      offers.map((offer) => offer.id),
    );
    expect(events).toHaveLength(2);
    for (const event of events) {
      // Ids and times only: nothing else a patient could be known by.
      expect(Object.keys(event.payload).sort()).toEqual(
        [
          'clientId',
          'clinicId',
          'doctorId',
          'end',
          'entryId',
          'expiresAt',
          'mode',
          'offerId',
          'slotId',
          'start',
        ].sort(),
      );
      expect(event.causationId).toBe(freed.id);
    }
  });

  it('still offers the time to every other entry when one entry holds a zone PostgreSQL does not know', async () => {
    const doctor = await bed.newDoctor();
    const slot = doctor.slots[0] as Slot;
    const bad = await entry({ clinicId: doctor.clinicId });
    const good = await entry({ clinicId: doctor.clinicId });
    // An entry stored before joins were checked against PostgreSQL's zones (Node accepts this one).
    await bed.db.waitlistEntry.update({ where: { id: bad.entryId }, data: { timeZone: 'US/Pacific-New' } });
    const freed = await freeUp(slot);
    expect(await offerFreedSlots(bed.db, [freed])).toBe(1);
    expect((await offersOf(slot.id)).map((offer) => offer.entryId)).toEqual([good.entryId]);
  });

  it('reaches nobody beyond the first broadcast when one patient books and cancels the time over and over', async () => {
    const doctor = await bed.newDoctor();
    const slot = doctor.slots[0] as Slot;
    // More entries than one broadcast reaches, in line order (written at once: joining each is slow).
    await bed.db.waitlistEntry.createMany({
      data: Array.from({ length: BROADCAST_FAN_OUT + 20 }, (_, index) => ({
        id: randomUUID(),
        clientId: randomUUID(),
        clinicId: doctor.clinicId,
        fromDate: new Date(`${sydneyDay(0)}T00:00:00.000Z`),
        toDate: new Date(`${sydneyDay(60)}T00:00:00.000Z`),
        timeZone: 'Australia/Sydney',
        createdAt: new Date(Date.UTC(2026, 0, 1) + index * 1000),
      })),
    });
    expect(await offerFreedSlots(bed.db, [await freeUp(slot)])).toBe(BROADCAST_FAN_OUT);
    const first = new Set((await offersOf(slot.id)).map((offer) => offer.entryId));
    for (let round = 0; round < 3; round++) {
      expect(await offerFreedSlots(bed.db, [await freeUp(slot)])).toBe(0);
    }
    // Timed so the freeing arrives while the time is booked again: the offers are not over (the time may
    // come back), so the next freeing still reaches nobody new.
    const freed = await freeUp(slot);
    const someone = patient();
    const again = await bookAppointment({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(someone));
    if (again.__typename !== 'AppointmentBooked') throw new Error(again.__typename);
    expect(await offerFreedSlots(bed.db, [freed])).toBe(0);
    await cancelAppointment(
      { appointmentId: again.appointment.id, idempotencyKey: key() },
      bed.contextFor(someone),
    );
    expect(await offerFreedSlots(bed.db, [await lastFreed(bed, slot.id)])).toBe(0);
    const offers = await offersOf(slot.id);
    expect(offers).toHaveLength(BROADCAST_FAN_OUT);
    // The first broadcast's offers are still live: the time is free again and theirs to claim.
    expect(offers.every((offer) => first.has(offer.entryId) && offer.status === 'open')).toBe(true);
  });

  it('passes over entries whose window has passed without recording the freeing at all', async () => {
    const doctor = await bed.newDoctor();
    const slot = doctor.slots[0] as Slot;
    const stale = await entry({ clinicId: doctor.clinicId });
    await bed.db.waitlistEntry.update({
      where: { id: stale.entryId },
      data: {
        fromDate: new Date(`${sydneyDay(-5)}T00:00:00.000Z`),
        toDate: new Date(`${sydneyDay(-2)}T00:00:00.000Z`),
      },
    });
    const freed = await freeUp(slot);
    expect(await offerFreedSlots(bed.db, [freed])).toBe(0);
    // Nobody waits at the clinic any more: answered before any transaction, so nothing is recorded.
    expect(await bed.db.inboxEntry.count({ where: { eventId: freed.id, consumer: WAITLIST_CONSUMER } })).toBe(
      0,
    );
  });

  it('offers nothing new when the event is redelivered, once or twice at once', async () => {
    const doctor = await bed.newDoctor();
    const slot = doctor.slots[0] as Slot;
    await entry({ clinicId: doctor.clinicId });
    await entry({ clinicId: doctor.clinicId });
    const freed = await freeUp(slot);
    expect(await offerFreedSlots(bed.db, [freed, freed])).toBe(2);
    const outbox = await bed.db.outboxEvent.count();
    expect(await offerFreedSlots(bed.db, [freed])).toBe(0);
    expect(await atOnce(2, () => offerFreedSlots(bed.db, [freed]))).toEqual([0, 0]);
    expect(await offersOf(slot.id)).toHaveLength(2);
    expect(await bed.db.outboxEvent.count()).toBe(outbox);
    expect(await bed.db.inboxEntry.count({ where: { eventId: freed.id, consumer: WAITLIST_CONSUMER } })).toBe(
      1,
    );
  });

  it('offers nobody a time taken again before the event arrived', async () => {
    const doctor = await bed.newDoctor();
    const slot = doctor.slots[0] as Slot;
    await entry({ clinicId: doctor.clinicId });
    const freed = await freeUp(slot);
    const quick = await bookAppointment(
      { slotId: slot.id, idempotencyKey: key() },
      bed.contextFor(patient()),
    );
    expect(quick.__typename).toBe('AppointmentBooked');
    expect(await offerFreedSlots(bed.db, [freed])).toBe(0);
    expect(await offersOf(slot.id)).toEqual([]);
  });

  it('passes over a patient already booked at that time, and gives each entry one live offer at a time', async () => {
    const doctor = await bed.newDoctor();
    const [first, second] = doctor.slots as [Slot, Slot];
    const busy = await entry({ clinicId: doctor.clinicId });
    // The busy patient has a booking with another doctor of the clinic at the first slot's time.
    const colleague = await bed.newDoctor({ clinicId: doctor.clinicId, start: first.start, slots: 1 });
    const theirs = await bookAppointment(
      { slotId: colleague.slots[0]!.id, idempotencyKey: key() },
      bed.contextFor(patient(busy.clientId)),
    );
    expect(theirs.__typename).toBe('AppointmentBooked');
    const free = await entry({ clinicId: doctor.clinicId });
    const events = [await freeUp(first), await freeUp(second)];
    expect(await offerFreedSlots(bed.db, events)).toBe(2);
    const offers = await bed.db.waitlistOffer.findMany({ where: { slotId: { in: [first.id, second.id] } } });
    // The free patient: one offer (the first slot); the busy one: the second slot only.
    expect(offers.map((offer) => [offer.entryId, offer.slotId]).sort()).toEqual(
      [
        [free.entryId, first.id],
        [busy.entryId, second.id],
      ].sort(),
    );
  });
});

describe('a freed time a flagged appointment fits', () => {
  it('goes to that appointment, not to the waitlist, in either mode', async () => {
    for (const mode of ['broadcast', 'sequential'] as const) {
      const doctor = await bed.newDoctor();
      if (mode === 'sequential') await sequential(doctor);
      const slot = doctor.slots[0] as Slot;
      await entry({ clinicId: doctor.clinicId });
      // A colleague at the same clinic and time became unavailable; their booking waits for a doctor.
      const colleague = await bed.newDoctor({ clinicId: doctor.clinicId, start: slot.start, slots: 1 });
      const stranded = await bookAppointment(
        { slotId: colleague.slots[0]!.id, idempotencyKey: key() },
        bed.contextFor(patient()),
      );
      if (stranded.__typename !== 'AppointmentBooked') throw new Error(stranded.__typename);
      await bed.db.slot.update({
        where: { id: colleague.slots[0]!.id },
        data: { status: 'busy_unavailable' },
      });
      await bed.db.appointment.update({
        where: { id: stranded.appointment.id },
        data: { needsAttentionSince: new Date() },
      });
      const freed = await freeUp(slot);
      expect(await offerFreedSlots(bed.db, [freed])).toBe(0);
      expect(await offersOf(slot.id)).toEqual([]);
      expect(
        await retryFlaggedOnFreedSlot(bed.db, freed as EventEnvelope<'slot.changed'>, SOLO_PRACTICES),
      ).toBe(1);
      expect(
        await bed.db.appointment.findUniqueOrThrow({ where: { id: stranded.appointment.id } }),
      ).toMatchObject({
        slotId: slot.id,
        needsAttentionSince: null,
      });
    }
  });
});

describe('sequential offers', () => {
  it('pass over a patient who already holds as many times as one patient may', async () => {
    const doctor = await bed.newDoctor();
    const elsewhere = await bed.newDoctor();
    await sequential(doctor);
    const slot = doctor.slots[0] as Slot;
    const first = await entry({ clinicId: doctor.clinicId });
    const second = await entry({ clinicId: doctor.clinicId });
    // The first in line holds two times elsewhere: the most one patient may hold (the bed's limit).
    for (const held of elsewhere.slots.slice(0, 2)) {
      const outcome = await holdSlot(
        { slotId: held.id, idempotencyKey: key() },
        bed.contextFor(patient(first.clientId)),
      );
      expect(outcome.__typename).toBe('SlotHeld');
    }
    expect(await offerFreedSlots(bed.db, [await freeUp(slot)])).toBe(1);
    expect((await offersOf(slot.id)).map((offer) => offer.entryId)).toEqual([second.entryId]);
  });

  it('hold the time for the first in line, then pass it on as each lapses or is released, to nobody twice', async () => {
    const doctor = await bed.newDoctor();
    await sequential(doctor);
    const slot = doctor.slots[0] as Slot;
    const line = [
      await entry({ clinicId: doctor.clinicId }),
      await entry({ clinicId: doctor.clinicId }),
      await entry({ clinicId: doctor.clinicId }),
    ];

    expect(await offerFreedSlots(bed.db, [await freeUp(slot)])).toBe(1);
    let [offer] = await offersOf(slot.id);
    expect(offer).toMatchObject({ entryId: line[0]!.entryId, mode: 'sequential', status: 'open' });
    expect((await bed.slot(slot.id)).status).toBe('busy_tentative');
    const hold = await bed.db.appointment.findUniqueOrThrow({ where: { id: offer!.holdId as string } });
    expect(hold).toMatchObject({ clientId: line[0]!.clientId, status: 'pending', slotId: slot.id });
    expect(hold.holdExpiresAt).toEqual(offer!.expiresAt);

    // The first lets it lapse: the sweeper frees it, and the freeing passes it to the second.
    await bed.lapse(hold.id);
    await sweepHolds(bed);
    expect(await offerFreedSlots(bed.db, [await lastFreed(bed, slot.id)])).toBe(1);
    let offers = await offersOf(slot.id);
    expect(offers.map((row) => [row.entryId, row.status])).toEqual([
      [line[0]!.entryId, 'expired'],
      [line[1]!.entryId, 'open'],
    ]);

    // The second releases it (cancels the hold): the third is offered it.
    offer = offers[1];
    const released = await cancelAppointment(
      { appointmentId: offer!.holdId as string, idempotencyKey: key() },
      bed.contextFor(patient(line[1]!.clientId)),
    );
    expect(released.__typename).toBe('AppointmentCancelled');
    expect(await offerFreedSlots(bed.db, [await lastFreed(bed, slot.id)])).toBe(1);
    offers = await offersOf(slot.id);
    expect(offers.map((row) => row.entryId)).toEqual(line.map((row) => row.entryId));

    // The third lapses too: nobody is left who was not offered it, and the slot is simply free.
    await bed.lapse(offers[2]!.holdId as string);
    await sweepHolds(bed);
    expect(await offerFreedSlots(bed.db, [await lastFreed(bed, slot.id)])).toBe(0);
    expect((await bed.slot(slot.id)).status).toBe('free');
    expect((await offersOf(slot.id)).map((row) => row.status)).toEqual(['expired', 'expired', 'expired']);
  });

  it('loses nothing and repeats nothing when the handler dies between the freeing and the offer', async () => {
    const doctor = await bed.newDoctor();
    await sequential(doctor);
    const slot = doctor.slots[0] as Slot;
    await entry({ clinicId: doctor.clinicId });
    const freed = await freeUp(slot);
    // The process "dies" as it writes the offer's event: the database refuses that row, so the handler's
    // transaction (inbox row, hold, offer) fails where a crash would have cut it off.
    await bed.db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS test_waitlist_crash (armed boolean NOT NULL)`);
    await bed.db.$executeRawUnsafe(`INSERT INTO test_waitlist_crash VALUES (true)`);
    await bed.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION test_waitlist_crash() RETURNS trigger AS $$
      BEGIN
        IF NEW.envelope->>'type' = 'waitlist.offered' AND EXISTS (SELECT 1 FROM test_waitlist_crash WHERE armed)
        THEN RAISE EXCEPTION 'the process died here'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await bed.db.$executeRawUnsafe(`
      CREATE TRIGGER test_waitlist_crash BEFORE INSERT ON outbox
      FOR EACH ROW EXECUTE FUNCTION test_waitlist_crash()`);
    try {
      await expect(offerFreedSlots(bed.db, [freed])).rejects.toThrow();
      expect(await offersOf(slot.id)).toEqual([]);
      expect((await bed.slot(slot.id)).status).toBe('free');
      expect(await bed.db.inboxEntry.count({ where: { eventId: freed.id } })).toBe(0);
      await bed.db.$executeRawUnsafe(`UPDATE test_waitlist_crash SET armed = false`);
      // Delivered again (as Kafka would after the crash), twice: one offer, one hold, one event.
      expect(await offerFreedSlots(bed.db, [freed])).toBe(1);
      expect(await offerFreedSlots(bed.db, [freed])).toBe(0);
      const offers = await offersOf(slot.id);
      expect(offers).toHaveLength(1);
      expect((await bed.slot(slot.id)).status).toBe('busy_tentative');
      expect(await offeredEvents(bed, [offers[0]!.id])).toHaveLength(1);
    } finally {
      await bed.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_waitlist_crash ON outbox`);
    }
  });
});
