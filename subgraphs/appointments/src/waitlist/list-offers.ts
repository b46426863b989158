import { appError } from '@clinic/contracts';
import type { AppointmentsContext } from '../context';
import type { WaitlistOffer } from '../generated/prisma/client';

/** At most this many live offers are listed; one live offer per entry keeps a patient far below it. */
const MAX_OFFERS = 20;

/**
 * The signed-in patient's offers that can still be claimed, soonest to lapse first. A broadcast offer
 * whose time was booked, held or withdrawn another way is taken while the slot is not free (nothing tells
 * the waitlist of a booking; the consumer marks it when the slot is next freed), so it is not listed.
 */
export async function myWaitlistOffers(context: AppointmentsContext): Promise<WaitlistOffer[]> {
  const { identity } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see your offers.');
  if (identity.role !== 'Patient') throw appError('FORBIDDEN', 'Only patients have waitlist offers.');
  const open = await context.db.waitlistOffer.findMany({
    where: { clientId: identity.subject, status: 'open', expiresAt: { gt: new Date() } },
    orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
    take: MAX_OFFERS,
  });
  const broadcast = open.filter((offer) => offer.holdId === null).map((offer) => offer.slotId);
  if (broadcast.length === 0) return open;
  const free = await context.db.slot.findMany({
    where: { id: { in: broadcast }, status: 'free' },
    select: { id: true },
  });
  const freeIds = new Set(free.map((slot) => slot.id));
  return open.filter((offer) => offer.holdId !== null || freeIds.has(offer.slotId));
}
