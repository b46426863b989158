import type { EventEnvelope } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { SYSTEM_ACTOR } from '../booking/events';
import type { WaitlistOffer } from '../generated/prisma/client';

/** `waitlist.offered`, keyed by the offer: ids and times only, caused by the event that freed the slot. */
export function offeredEvent(offer: WaitlistOffer): EventEnvelope {
  return createEvent({
    type: 'waitlist.offered',
    aggregateId: offer.id,
    actor: SYSTEM_ACTOR,
    causationId: offer.eventId,
    payload: {
      offerId: offer.id,
      entryId: offer.entryId,
      clientId: offer.clientId,
      clinicId: offer.clinicId,
      doctorId: offer.doctorId,
      slotId: offer.slotId,
      start: offer.start.toISOString(),
      end: offer.end.toISOString(),
      expiresAt: offer.expiresAt.toISOString(),
      mode: offer.mode,
      ...(offer.holdId ? { holdId: offer.holdId } : {}),
    },
  });
}
