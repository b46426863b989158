import { randomUUID } from 'node:crypto';
import { createEvent } from '@clinic/platform';
import { eventEffect } from './event-effects';

// Waitlist (issue 19): an offer to one patient must not empty the whole cache, as an unknown type would.
describe('the response cache and waitlist offers', () => {
  it('keeps every answer: an offer changes no public answer', () => {
    const offerId = randomUUID();
    const offer = createEvent({
      type: 'waitlist.offered',
      aggregateId: offerId,
      actor: { role: 'System', subject: 'appointments' },
      payload: {
        offerId,
        entryId: randomUUID(),
        clientId: randomUUID(),
        clinicId: randomUUID(),
        doctorId: randomUUID(),
        slotId: randomUUID(),
        start: '2027-01-05T22:00:00.000Z',
        end: '2027-01-05T22:30:00.000Z',
        expiresAt: '2027-01-04T01:15:00.000Z',
        mode: 'broadcast',
      },
    });
    expect(eventEffect(offer)).toBeNull();
  });
});
