import type { EventActor, EventEnvelope } from '@clinic/contracts';
import type { Prisma } from '../generated/prisma/client';
import { lockSlots, releaseSlot } from '../booking/claim-slot';
import { slotChangedEvent } from '../booking/events';

type Tx = Prisma.TransactionClient;

/**
 * Ends these entries' live offers, releasing any sequential hold so the time passes to the next in line
 * at once rather than when the hold would have lapsed. Call it before changing the entries: the slots are
 * locked first, in id order, then the holds (the lock order). Returns the events of the slots it freed,
 * which the caller writes to the outbox in its transaction; each is a freeing the waitlist consumer offers on.
 */
export async function releaseOffersOf(
  tx: Tx,
  entryIds: readonly string[],
  actor: EventActor,
): Promise<EventEnvelope[]> {
  if (entryIds.length === 0) return [];
  const open = await tx.waitlistOffer.findMany({
    where: { entryId: { in: [...entryIds] }, status: 'open' },
    select: { id: true, slotId: true, holdId: true },
  });
  if (open.length === 0) return [];
  await lockSlots(
    tx,
    open.filter((offer) => offer.holdId).map((offer) => offer.slotId),
  );
  const events: EventEnvelope[] = [];
  for (const offer of open) {
    if (!offer.holdId) continue;
    const [released] = await tx.appointment.updateManyAndReturn({
      where: { id: offer.holdId, status: 'pending' },
      data: { status: 'cancelled', holdExpiresAt: null },
    });
    const slot = released ? await releaseSlot(tx, released.slotId) : null;
    if (slot) events.push(slotChangedEvent(slot, actor));
  }
  await tx.waitlistOffer.updateMany({
    where: { id: { in: open.map((offer) => offer.id) }, status: 'open' },
    data: { status: 'expired' },
  });
  return events;
}
