import { randomUUID } from 'node:crypto';
import { createEvent } from '@clinic/platform';
import { entryFor } from './record-event';

// Waitlist (issue 19): an offer is filed under the offer, by pseudonymous ids only.
describe('the audit entry of a waitlist offer', () => {
  it('is about the offer, its patient and clinic', () => {
    const offerId = randomUUID();
    const clientId = randomUUID();
    const clinicId = randomUUID();
    const event = createEvent({
      type: 'waitlist.offered',
      aggregateId: offerId,
      actor: { role: 'System', subject: 'appointments' },
      payload: {
        offerId,
        entryId: randomUUID(),
        clientId,
        clinicId,
        doctorId: randomUUID(),
        slotId: randomUUID(),
        start: '2027-01-05T22:00:00.000Z',
        end: '2027-01-05T22:30:00.000Z',
        expiresAt: '2027-01-04T01:15:00.000Z',
        mode: 'broadcast',
      },
    });
    expect(entryFor(event)).toMatchObject({
      action: 'waitlist.offered',
      subjectType: 'WaitlistOffer',
      subjectId: offerId,
      clientId,
      clinicId,
    });
  });
});
