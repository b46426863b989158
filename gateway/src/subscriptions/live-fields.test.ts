import { randomUUID } from 'node:crypto';
import { createEvent } from '@clinic/platform';
import { mockBookedEvent } from '@clinic/testing';
import { LIVE_FIELDS, permissionKey } from './live-fields';

const slotField = LIVE_FIELDS['slotAvailabilityChanged'];
const mine = LIVE_FIELDS['myAppointmentUpdates'];
const clinicId = randomUUID();
const doctorId = randomUUID();
const slotEvent = createEvent({
  type: 'slot.changed',
  aggregateId: 'slot',
  actor: { role: 'System', subject: 'test' },
  payload: {
    slotId: randomUUID(),
    doctorId,
    clinicId,
    start: '2026-12-01T09:00:00.000Z',
    end: '2026-12-01T09:30:00.000Z',
    status: 'busy-unavailable',
  },
});
const window = { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' };

describe('slotAvailabilityChanged', () => {
  it('matches slots starting inside [from, to) of the clinic and doctor asked for', () => {
    expect(slotField?.matches(slotEvent, window, null)).toBe(true);
    expect(slotField?.matches(slotEvent, { ...window, clinicId, doctorId }, null)).toBe(true);
    expect(slotField?.matches(slotEvent, { ...window, clinicId: randomUUID() }, null)).toBe(false);
    expect(slotField?.matches(slotEvent, { ...window, doctorId: randomUUID() }, null)).toBe(false);
    expect(
      slotField?.matches(slotEvent, { from: '2026-12-01T09:00:00Z', to: '2026-12-01T09:00:00Z' }, null),
    ).toBe(false);
  });

  it('reports the FHIR status as the GraphQL enum value', () => {
    expect(slotField?.payload(slotEvent)).toMatchObject({ status: 'busy_unavailable' });
  });
});

describe('myAppointmentUpdates', () => {
  const event = mockBookedEvent();
  const owner = { role: 'Patient' as const, subject: event.payload.clientId };

  it("carries only the signed-in patient's own appointments", () => {
    expect(mine?.matches(event, {}, owner)).toBe(true);
    expect(mine?.matches(event, {}, { role: 'Patient', subject: randomUUID() })).toBe(false);
    expect(mine?.matches(event, {}, { role: 'SystemAdministrator', subject: 'admin' })).toBe(false);
    expect(mine?.matches(slotEvent, {}, owner)).toBe(false);
  });

  it('refuses staff and anonymous callers with the right code', () => {
    expect(mine?.authorize(owner)).toBeNull();
    expect(mine?.authorize(null)?.extensions['code']).toBe('UNAUTHENTICATED');
    expect(mine?.authorize({ role: 'ClinicAdmin', subject: 's', clinicId })?.extensions['code']).toBe(
      'FORBIDDEN',
    );
  });
});

// Waitlist (issue 19).
describe('myAppointmentUpdates carries waitlist offers', () => {
  const clientId = randomUUID();
  const offerId = randomUUID();
  const slotId = randomUUID();
  const offer = createEvent({
    type: 'waitlist.offered',
    aggregateId: offerId,
    actor: { role: 'System', subject: 'appointments' },
    payload: {
      offerId,
      entryId: randomUUID(),
      clientId,
      clinicId,
      doctorId,
      slotId,
      start: '2026-12-01T09:00:00.000Z',
      end: '2026-12-01T09:30:00.000Z',
      expiresAt: '2026-11-30T09:15:00.000Z',
      mode: 'broadcast',
    },
  });

  it('to the offered patient alone, with the offer, its slot and its expiry', () => {
    expect(mine?.eventTypes).toContain('waitlist.offered');
    expect(mine?.matches(offer, {}, { role: 'Patient', subject: clientId })).toBe(true);
    expect(mine?.matches(offer, {}, { role: 'Patient', subject: randomUUID() })).toBe(false);
    expect(mine?.matches(offer, {}, { role: 'ClinicAdmin', subject: 's', clinicId })).toBe(false);
    expect(mine?.payload(offer)).toEqual({
      kind: 'waitlist_offer',
      appointmentId: offerId,
      offerId,
      slotId,
      offerExpiresAt: '2026-11-30T09:15:00.000Z',
      occurredAt: offer.occurredAt,
    });
    expect(mine?.entity.id(offer)).toBe(offerId);
  });
});

describe('permissionKey', () => {
  it('separates patients and doctors by who they are, other staff by role and clinic', () => {
    expect(permissionKey({ role: 'Patient', subject: 'a' })).not.toBe(
      permissionKey({ role: 'Patient', subject: 'b' }),
    );
    expect(permissionKey({ role: 'Doctor', subject: 'a', clinicId })).not.toBe(
      permissionKey({ role: 'Doctor', subject: 'b', clinicId }),
    );
    expect(permissionKey({ role: 'ClinicAdmin', subject: 'a', clinicId })).toBe(
      permissionKey({ role: 'ClinicAdmin', subject: 'b', clinicId }),
    );
    expect(permissionKey({ role: 'ClinicAdmin', subject: 'a', clinicId })).not.toBe(
      permissionKey({ role: 'ClinicAdmin', subject: 'a', clinicId: randomUUID() }),
    );
    expect(permissionKey(null)).toBe('anonymous');
  });
});
