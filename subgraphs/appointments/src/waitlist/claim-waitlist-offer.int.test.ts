import { bookAppointment } from '../booking/book-appointment';
import { randomUUID } from 'node:crypto';
import { admin, atOnce, key, kinds, patient, useBookingBed } from '../testing/booking-bed';
import type { Slot } from '../generated/prisma/client';
import { claimWaitlistOffer } from './claim-waitlist-offer';
import { myWaitlistOffers } from './list-offers';
import { offerFreedSlots } from './offer-freed-slots';
import { freeUp, newEntry, sweepHolds, lastFreed } from './testing';

const bed = useBookingBed();

/** A doctor whose first slot was freed and offered to `waiting` new entries of their clinic. */
async function offered(waiting: number, mode: 'broadcast' | 'sequential' = 'broadcast') {
  const doctor = await bed.newDoctor();
  if (mode === 'sequential') {
    await bed.db.waitlistSetting.create({ data: { clinicId: doctor.clinicId, mode, offerMinutes: 10 } });
  }
  const slot = doctor.slots[0] as Slot;
  const entries = [];
  for (let i = 0; i < waiting; i++) entries.push(await newEntry(bed, { clinicId: doctor.clinicId }));
  await offerFreedSlots(bed.db, [await freeUp(bed, slot)]);
  const offers = await bed.db.waitlistOffer.findMany({ where: { slotId: slot.id } });
  const offerOf = (clientId: string) => offers.find((offer) => offer.clientId === clientId);
  return { doctor, slot, entries, offers, offerOf };
}

const claim = (clientId: string, offerId: string, idempotencyKey = key()) =>
  claimWaitlistOffer({ offerId, idempotencyKey }, bed.contextFor(patient(clientId)));

describe('claimWaitlistOffer, broadcast', () => {
  it('books the first claim; a later one is SlotUnavailable and its offer is spent', async () => {
    const { slot, entries, offerOf } = await offered(2);
    const [a, b] = entries as [{ clientId: string; entryId: string }, { clientId: string; entryId: string }];
    expect((await myWaitlistOffers(bed.contextFor(patient(a.clientId)))).map((o) => o.id)).toEqual([
      offerOf(a.clientId)!.id,
    ]);
    const won = await claim(a.clientId, offerOf(a.clientId)!.id);
    expect(won).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: { clientId: a.clientId, slotId: slot.id, status: 'booked' },
    });
    expect((await bed.slot(slot.id)).status).toBe('busy');
    const lost = await claim(b.clientId, offerOf(b.clientId)!.id);
    expect(lost).toMatchObject({ __typename: 'SlotUnavailable', slotId: slot.id });
    expect(
      await bed.db.waitlistOffer.findMany({ where: { slotId: slot.id }, orderBy: { status: 'asc' } }),
    ).toMatchObject([{ status: 'claimed' }, { status: 'taken' }]);
    expect(await bed.db.waitlistEntry.findUniqueOrThrow({ where: { id: a.entryId } })).toMatchObject({
      status: 'fulfilled',
    });
    expect(await bed.db.waitlistEntry.findUniqueOrThrow({ where: { id: b.entryId } })).toMatchObject({
      status: 'active',
    });
    // Booked through bookAppointment's path: its events are the booking's.
    const types = (
      await bed.eventsAbout(won.__typename === 'AppointmentBooked' ? won.appointment.id : '')
    ).map((event) => event.type);
    expect(types).toEqual(['appointment.booked']);
  });

  it('treats an offer as taken once its time is booked the normal way: not listed, and no bar to the next', async () => {
    const { doctor, slot, entries, offerOf } = await offered(1);
    const [a] = entries as [{ clientId: string; entryId: string }];
    const outsider = await bookAppointment(
      { slotId: slot.id, idempotencyKey: key() },
      bed.contextFor(patient()),
    );
    expect(outsider.__typename).toBe('AppointmentBooked');
    expect(await myWaitlistOffers(bed.contextFor(patient(a.clientId)))).toEqual([]);
    expect(await claim(a.clientId, offerOf(a.clientId)!.id)).toMatchObject({ __typename: 'SlotUnavailable' });
    // The entry waits on: the next freed time is offered to it.
    const next = doctor.slots[1] as Slot;
    expect(await offerFreedSlots(bed.db, [await freeUp(bed, next)])).toBe(1);
    expect((await myWaitlistOffers(bed.contextFor(patient(a.clientId)))).map((o) => o.slotId)).toEqual([
      next.id,
    ]);
  });

  it('of 100 claims of one offered slot at once, books exactly one and refuses 99 with SlotUnavailable', async () => {
    const { slot, offers } = await offered(100);
    expect(offers).toHaveLength(100);
    const outcomes = await Promise.all(offers.map((offer) => claim(offer.clientId, offer.id)));
    expect(kinds(outcomes).filter((kind) => kind === 'AppointmentBooked')).toHaveLength(1);
    expect(kinds(outcomes).filter((kind) => kind === 'SlotUnavailable')).toHaveLength(99);
    expect(await bed.db.appointment.count({ where: { slotId: slot.id, status: 'booked' } })).toBe(1);
    expect(await bed.db.waitlistOffer.count({ where: { slotId: slot.id, status: 'claimed' } })).toBe(1);
  }, 120_000);

  it('answers a double tap and a replay with the one booking', async () => {
    const { entries, offerOf } = await offered(1);
    const { clientId } = entries[0]!;
    const idempotencyKey = key();
    const taps = await atOnce(2, () => claim(clientId, offerOf(clientId)!.id, idempotencyKey));
    const replay = await claim(clientId, offerOf(clientId)!.id, idempotencyKey);
    expect(kinds([...taps, replay])).toEqual(['AppointmentBooked', 'AppointmentBooked', 'AppointmentBooked']);
    expect(taps[1]).toEqual(taps[0]);
    expect(replay).toEqual(taps[0]);
    expect(await bed.db.appointment.count({ where: { clientId, status: 'booked' } })).toBe(1);
    // A new key for a claimed offer: the time is taken (by them), nothing more is booked.
    expect(await claim(clientId, offerOf(clientId)!.id)).toMatchObject({ __typename: 'SlotUnavailable' });
    expect(await bed.db.appointment.count({ where: { clientId, status: 'booked' } })).toBe(1);
  });

  it('is OfferExpired once the offer lapsed, and books nothing', async () => {
    const { slot, entries, offerOf } = await offered(1);
    const { clientId } = entries[0]!;
    await bed.db.waitlistOffer.update({
      where: { id: offerOf(clientId)!.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const before = await bed.snapshot();
    expect(await claim(clientId, offerOf(clientId)!.id)).toMatchObject({
      __typename: 'OfferExpired',
      offerId: offerOf(clientId)!.id,
    });
    expect(await bed.snapshot()).toEqual(before);
    expect((await bed.slot(slot.id)).status).toBe('free');
    expect(await myWaitlistOffers(bed.contextFor(patient(clientId)))).toEqual([]);
  });

  it("answers another patient's offer exactly as none, and staff and bad ids as typed refusals", async () => {
    const { entries, offerOf } = await offered(1);
    const theirs = offerOf(entries[0]!.clientId)!;
    const before = await bed.snapshot();
    const intruder = randomUUID();
    const stolen = await claim(intruder, theirs.id);
    const nothing = await claim(intruder, randomUUID());
    expect(stolen).toMatchObject({ __typename: 'WaitlistOfferNotFound', offerId: theirs.id });
    expect({ ...stolen, offerId: '' }).toEqual({ ...nothing, offerId: '' });
    expect(
      await claimWaitlistOffer(
        { offerId: theirs.id, idempotencyKey: key() },
        bed.contextFor(admin(theirs.clinicId)),
      ),
    ).toMatchObject({ __typename: 'NotAllowed' });
    const canary = 'CANARY#claim';
    const malformed = await claim(intruder, canary);
    expect(malformed).toMatchObject({ __typename: 'InvalidInput', field: 'offerId' });
    expect(JSON.stringify(malformed)).not.toContain(canary);
    expect(await bed.snapshot()).toEqual(before);
  });
});

describe('claimWaitlistOffer, sequential', () => {
  it('confirms the hold of the first in line; once passed on, their claim is OfferExpired', async () => {
    const { slot, entries, offers } = await offered(2, 'sequential');
    const first = entries[0]!;
    const second = entries[1]!;
    expect(offers).toHaveLength(1);
    const firstOffer = offers[0]!;
    // The first lets it lapse: swept, it passes to the second, and the first's claim is too late.
    await bed.lapse(firstOffer.holdId as string);
    await bed.db.waitlistOffer.update({ where: { id: firstOffer.id }, data: { expiresAt: new Date() } });
    await sweepHolds(bed);
    await offerFreedSlots(bed.db, [await lastFreed(bed, slot.id)]);
    expect(await claim(first.clientId, firstOffer.id)).toMatchObject({ __typename: 'OfferExpired' });
    const secondOffer = await bed.db.waitlistOffer.findFirstOrThrow({
      where: { slotId: slot.id, clientId: second.clientId },
    });
    const booked = await claim(second.clientId, secondOffer.id);
    expect(booked).toMatchObject({
      __typename: 'AppointmentBooked',
      appointment: { id: secondOffer.holdId, clientId: second.clientId, status: 'booked' },
    });
    expect((await bed.slot(slot.id)).status).toBe('busy');
  });

  it('is OfferExpired when the patient released the hold, even before anyone swept', async () => {
    const { slot, offers } = await offered(1, 'sequential');
    const offer = offers[0]!;
    await bed.lapse(offer.holdId as string);
    // The offer's own time is not yet past, but its hold lapsed: the hold decides.
    const outcome = await claim(offer.clientId, offer.id);
    expect(outcome).toMatchObject({ __typename: 'OfferExpired' });
    expect((await bed.slot(slot.id)).status).toBe('busy_tentative');
  });
});
