import { randomUUID } from 'node:crypto';
import { createEvent } from '@clinic/platform';
import type { Slot } from '../generated/prisma/client';
import { useBookingBed } from '../testing/booking-bed';
import { endErasedEntries, WAITLIST_ERASURES_CONSUMER } from './end-erased-entries';
import { offerFreedSlots } from './offer-freed-slots';
import { freeUp, lastFreed, newEntry } from './testing';

const bed = useBookingBed();

const erasure = (clientId: string) =>
  createEvent({
    type: 'patient.erased',
    aggregateId: clientId,
    actor: { role: 'System', subject: 'patients' },
    payload: { clientId },
  });

describe('an erased patient on the waitlist', () => {
  it('waits no more: entries end, a held time passes to the next in line, once however often told', async () => {
    const doctor = await bed.newDoctor();
    await bed.db.waitlistSetting.create({
      data: { clinicId: doctor.clinicId, mode: 'sequential', offerMinutes: 10 },
    });
    const slot = doctor.slots[0] as Slot;
    const gone = await newEntry(bed, { clinicId: doctor.clinicId });
    const other = await newEntry(bed, { doctorId: doctor.doctorId }, {}, gone.clientId);
    const next = await newEntry(bed, { clinicId: doctor.clinicId });
    await offerFreedSlots(bed.db, [await freeUp(bed, slot)]);
    expect((await bed.slot(slot.id)).status).toBe('busy_tentative');

    const event = erasure(gone.clientId);
    expect(await endErasedEntries(bed.db, [event, event])).toBe(2);
    expect(await endErasedEntries(bed.db, [event])).toBe(0);
    expect(
      (await bed.db.waitlistEntry.findMany({ where: { id: { in: [gone.entryId, other.entryId] } } })).map(
        (entry) => entry.status,
      ),
    ).toEqual(['left', 'left']);
    expect((await bed.slot(slot.id)).status).toBe('free');
    expect(
      await bed.db.inboxEntry.count({ where: { eventId: event.id, consumer: WAITLIST_ERASURES_CONSUMER } }),
    ).toBe(1);

    // The freeing passes the time on.
    await offerFreedSlots(bed.db, [await lastFreed(bed, slot.id)]);
    const offers = await bed.db.waitlistOffer.findMany({
      where: { slotId: slot.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(offers.map((offer) => [offer.entryId, offer.status])).toEqual([
      [gone.entryId, 'expired'],
      [next.entryId, 'open'],
    ]);
  });

  it('records nothing for a patient who was on no waitlist', async () => {
    const event = erasure(randomUUID());
    expect(await endErasedEntries(bed.db, [event])).toBe(0);
    expect(await bed.db.inboxEntry.count({ where: { eventId: event.id } })).toBe(0);
  });
});
