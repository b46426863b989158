import { DateTime } from 'luxon';
import type { EventEnvelope } from '@clinic/contracts';
import { enqueueEvents } from '@clinic/platform';
import { releaseExpiredHolds } from '../booking/claim-slot';
import { SYSTEM_ACTOR, slotChangedEvent } from '../booking/events';
import { randomUUID } from 'node:crypto';
import { bookAppointment } from '../booking/book-appointment';
import { cancelAppointment } from '../booking/cancel-appointment';
import type { Slot } from '../generated/prisma/client';
import { key, patient, type BookingBed } from '../testing/booking-bed';
import { joinWaitlist } from './join-waitlist';

/** A calendar day `daysAhead` from today in Sydney (the zone tests join in), as YYYY-MM-DD. */
export function sydneyDay(daysAhead: number): string {
  return DateTime.now().setZone('Australia/Sydney').plus({ days: daysAhead }).toISODate() as string;
}

/** The latest `slot.changed` to free written about this slot, as the consumer would receive it. */
export async function lastFreed(bed: BookingBed, slotId: string): Promise<EventEnvelope> {
  const freed = (await bed.eventsAbout(slotId)).filter(
    (event) => event.type === 'slot.changed' && event.payload.status === 'free',
  );
  const last = freed.at(-1);
  if (!last) throw new Error('the slot was never freed');
  return last;
}

/** What the hold sweeper does, once: lapsed holds released, their slots published as free. */
export async function sweepHolds(bed: BookingBed): Promise<void> {
  await bed.db.$transaction(async (tx) => {
    const slots = await releaseExpiredHolds(tx);
    await enqueueEvents(
      tx,
      'appointments',
      slots.map((slot) => slotChangedEvent(slot, SYSTEM_ACTOR)),
    );
  });
}

/** The `waitlist.offered` events in the outbox about these offers. */
export async function offeredEvents(bed: BookingBed, offerIds: readonly string[]): Promise<EventEnvelope[]> {
  const rows = await bed.db.outboxEvent.findMany({ where: { aggregateId: { in: [...offerIds] } } });
  return rows
    .map((row) => row.envelope as unknown as EventEnvelope)
    .filter((event) => event.type === 'waitlist.offered');
}

let order = 0;
/** An entry of a new patient (unless given), placed in line after every earlier one of this process. */
export async function newEntry(
  bed: BookingBed,
  where: { clinicId?: string; doctorId?: string },
  times: { earliestStart?: string; latestStart?: string } = {},
  clientId: string = randomUUID(),
): Promise<{ entryId: string; clientId: string }> {
  const outcome = await joinWaitlist(
    {
      clinicId: where.doctorId ? null : (where.clinicId ?? null),
      doctorId: where.doctorId ?? null,
      fromDate: sydneyDay(0),
      toDate: sydneyDay(60),
      timeZone: 'Australia/Sydney',
      ...times,
      idempotencyKey: key(),
    },
    bed.contextFor(patient(clientId)),
  );
  if (outcome.__typename !== 'WaitlistJoined') throw new Error(JSON.stringify(outcome));
  // Joined within one millisecond would tie; the line's order is made explicit.
  await bed.db.waitlistEntry.update({
    where: { id: outcome.entry.id },
    data: { createdAt: new Date(Date.UTC(2026, 0, 1) + ++order * 1000) },
  });
  return { entryId: outcome.entry.id, clientId };
}

/** Books the slot for someone, then cancels it: the slot is free and its event in the outbox. */
export async function freeUp(bed: BookingBed, slot: Slot): Promise<EventEnvelope> {
  const someone = patient();
  const booked = await bookAppointment({ slotId: slot.id, idempotencyKey: key() }, bed.contextFor(someone));
  if (booked.__typename !== 'AppointmentBooked') throw new Error(booked.__typename);
  await cancelAppointment(
    { appointmentId: booked.appointment.id, idempotencyKey: key() },
    bed.contextFor(someone),
  );
  return lastFreed(bed, slot.id);
}
