import { DateTime } from 'luxon';
import type { EventEnvelope } from '@clinic/contracts';
import { enqueueEvents } from '@clinic/platform';
import { releaseExpiredHolds } from '../booking/claim-slot';
import { SYSTEM_ACTOR, slotChangedEvent } from '../booking/events';
import type { BookingBed } from '../testing/booking-bed';

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
