import { appError } from '@clinic/contracts';
import type { AppointmentsContext } from '../context';
import type { WaitlistOffer } from '../generated/prisma/client';

/** At most this many live offers are listed; one live offer per entry keeps a patient far below it. */
const MAX_OFFERS = 20;

/** The signed-in patient's offers that can still be claimed, soonest to lapse first. */
export async function myWaitlistOffers(context: AppointmentsContext): Promise<WaitlistOffer[]> {
  const { identity } = context;
  if (!identity) throw appError('UNAUTHENTICATED', 'Sign in to see your offers.');
  if (identity.role !== 'Patient') throw appError('FORBIDDEN', 'Only patients have waitlist offers.');
  return context.db.waitlistOffer.findMany({
    where: { clientId: identity.subject, status: 'open', expiresAt: { gt: new Date() } },
    orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
    take: MAX_OFFERS,
  });
}
