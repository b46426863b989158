import { randomUUID } from 'node:crypto';
import { admin, atOnce, key, kinds, patient, useBookingBed } from '../testing/booking-bed';
import { joinWaitlist } from './join-waitlist';
import { leaveWaitlist } from './leave-waitlist';
import { offerFreedSlots } from './offer-freed-slots';
import { freeUp, lastFreed, newEntry } from './testing';
import type { Slot } from '../generated/prisma/client';
import { sydneyDay } from './testing';

const bed = useBookingBed();

async function joined(clientId = randomUUID()) {
  const { clinicId } = await bed.newDoctor();
  const outcome = await joinWaitlist(
    { clinicId, fromDate: sydneyDay(1), toDate: sydneyDay(10), idempotencyKey: key() },
    bed.contextFor(patient(clientId)),
  );
  if (outcome.__typename !== 'WaitlistJoined') throw new Error(outcome.__typename);
  return { clientId, clinicId, entryId: outcome.entry.id };
}

describe('leaveWaitlist', () => {
  it('ends an entry once: a double tap and a replay answer the same, a new key finds nothing', async () => {
    const { clientId, entryId } = await joined();
    const input = { entryId, idempotencyKey: key() };
    const outcomes = await atOnce(2, () => leaveWaitlist(input, bed.contextFor(patient(clientId))));
    const replay = await leaveWaitlist(input, bed.contextFor(patient(clientId)));
    expect(kinds([...outcomes, replay])).toEqual(['WaitlistLeft', 'WaitlistLeft', 'WaitlistLeft']);
    expect(
      await leaveWaitlist({ entryId, idempotencyKey: key() }, bed.contextFor(patient(clientId))),
    ).toMatchObject({ __typename: 'WaitlistEntryNotFound' });
    expect(await bed.db.waitlistEntry.findUniqueOrThrow({ where: { id: entryId } })).toMatchObject({
      status: 'left',
    });
  });

  it("answers another patient's entry exactly as one that does not exist, and leaves it be", async () => {
    const { entryId } = await joined();
    const intruder = patient();
    const theirs = await leaveWaitlist({ entryId, idempotencyKey: key() }, bed.contextFor(intruder));
    const nobody = await leaveWaitlist(
      { entryId: randomUUID(), idempotencyKey: key() },
      bed.contextFor(intruder),
    );
    expect(theirs).toMatchObject({ __typename: 'WaitlistEntryNotFound', entryId });
    expect({ ...theirs, entryId: '' }).toEqual({ ...nobody, entryId: '' });
    expect(await bed.db.waitlistEntry.findUniqueOrThrow({ where: { id: entryId } })).toMatchObject({
      status: 'active',
    });
  });

  it('refuses staff and a malformed id as typed outcomes, changing nothing', async () => {
    const { clinicId, entryId } = await joined();
    expect(
      await leaveWaitlist({ entryId, idempotencyKey: key() }, bed.contextFor(admin(clinicId))),
    ).toMatchObject({ __typename: 'NotAllowed' });
    const canary = 'CANARY-leave';
    const malformed = await leaveWaitlist(
      { entryId: canary, idempotencyKey: key() },
      bed.contextFor(patient()),
    );
    expect(malformed).toMatchObject({ __typename: 'InvalidInput', field: 'entryId' });
    expect(JSON.stringify(malformed)).not.toContain(canary);
    expect(await bed.db.waitlistEntry.findUniqueOrThrow({ where: { id: entryId } })).toMatchObject({
      status: 'active',
    });
  });

  it('releases a sequential hold with the entry, so the time passes to the next in line at once', async () => {
    const doctor = await bed.newDoctor();
    await bed.db.waitlistSetting.create({
      data: { clinicId: doctor.clinicId, mode: 'sequential', offerMinutes: 10 },
    });
    const slot = doctor.slots[0] as Slot;
    const first = await newEntry(bed, { clinicId: doctor.clinicId });
    const second = await newEntry(bed, { clinicId: doctor.clinicId });
    await offerFreedSlots(bed.db, [await freeUp(bed, slot)]);
    const [held] = await bed.db.waitlistOffer.findMany({ where: { slotId: slot.id } });
    const context = bed.contextFor(patient(first.clientId));
    const left = await leaveWaitlist({ entryId: first.entryId, idempotencyKey: key() }, context);
    expect(left.__typename).toBe('WaitlistLeft');
    expect(context.pokes()).toBe(1);
    expect((await bed.slot(slot.id)).status).toBe('free');
    expect(
      await bed.db.appointment.findUniqueOrThrow({ where: { id: held!.holdId as string } }),
    ).toMatchObject({
      status: 'cancelled',
    });
    await offerFreedSlots(bed.db, [await lastFreed(bed, slot.id)]);
    const offers = await bed.db.waitlistOffer.findMany({
      where: { slotId: slot.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(offers.map((offer) => [offer.entryId, offer.status])).toEqual([
      [first.entryId, 'expired'],
      [second.entryId, 'open'],
    ]);
  });
});
