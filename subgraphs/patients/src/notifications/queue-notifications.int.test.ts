import { randomUUID } from 'node:crypto';
import { createEvent } from '@clinic/platform';
import { mockBookedEvent, mockReassigned, mockNeedsAttention } from '@clinic/testing';
import { notificationsTestBed, type NotificationsTestBed } from './testing/notifications-test-setup';
import { queueNotifications } from './queue-notifications';

let bed: NotificationsTestBed;
beforeAll(async () => {
  bed = await notificationsTestBed();
}, 600_000);
afterAll(async () => bed?.close());

describe('queueNotifications on real PostgreSQL', () => {
  it('queues one message per re-assignment, in the channel the patient prefers, however often it arrives', async () => {
    const bySms = await bed.register('sms');
    const byEmail = await bed.register('email');
    const first = mockReassigned({ clientId: bySms.clientId });
    const second = mockReassigned({ clientId: byEmail.clientId });

    expect(await queueNotifications(bed.db, [first, second, first])).toBe(2);
    expect(await queueNotifications(bed.db, [first, second])).toBe(0);
    expect(await queueNotifications(bed.db, [second])).toBe(0);

    const rows = await bed.db.notification.findMany({ where: { eventId: { in: [first.id, second.id] } } });
    expect(rows).toHaveLength(2);
    const byClient = new Map(rows.map((row) => [row.clientId, row]));
    expect(byClient.get(bySms.clientId)).toMatchObject({
      recipient: 'patient',
      channel: 'sms',
      reason: 'reassigned',
      status: 'pending',
      attempts: 0,
      appointmentId: first.payload.appointmentId,
      doctorId: first.payload.doctorId,
      clinicId: first.payload.clinicId,
      appointmentStart: new Date(first.payload.start),
    });
    expect(byClient.get(byEmail.clientId)).toMatchObject({ channel: 'email', reason: 'reassigned' });
  });

  it('tells the patient and the clinic admins (by email) of an appointment needing attention', async () => {
    const patient = await bed.register('sms');
    const event = mockNeedsAttention({ clientId: patient.clientId });
    await queueNotifications(bed.db, [event]);
    await queueNotifications(bed.db, [event]);
    const rows = await bed.db.notification.findMany({
      where: { eventId: event.id },
      orderBy: { recipient: 'asc' },
    });
    expect(rows.map((row) => [row.recipient, row.channel, row.clientId, row.reason])).toEqual([
      ['patient', 'sms', patient.clientId, 'needs_attention'],
      ['clinic_admins', 'email', null, 'needs_attention'],
    ]);
  });

  it('tells the patient again when the same appointment is re-assigned a second time (a new reason)', async () => {
    const patient = await bed.register('email');
    const appointmentId = randomUUID();
    const once = mockReassigned({ clientId: patient.clientId, appointmentId });
    const again = mockReassigned({ clientId: patient.clientId, appointmentId });
    await queueNotifications(bed.db, [once, again, once]);
    expect(await bed.db.notification.count({ where: { appointmentId } })).toBe(2);
  });

  it('ignores appointment events that call for no message, without recording them', async () => {
    const booked = mockBookedEvent();
    const cancelled = createEvent({
      type: 'appointment.cancelled',
      aggregateId: booked.payload.appointmentId,
      actor: { role: 'System', subject: 'test' },
      payload: booked.payload,
    });
    expect(await queueNotifications(bed.db, [booked, cancelled])).toBe(0);
    expect(await bed.db.inboxEntry.count({ where: { eventId: { in: [booked.id, cancelled.id] } } })).toBe(0);
    expect(await bed.db.notification.count({ where: { appointmentId: booked.payload.appointmentId } })).toBe(
      0,
    );
  });

  // Waitlist (issue 19).
  it('tells a patient offered a waitlist time once, on their channel, however often the offer arrives', async () => {
    const patient = await bed.register('email');
    const offerId = randomUUID();
    const offer = createEvent({
      type: 'waitlist.offered',
      aggregateId: offerId,
      actor: { role: 'System', subject: 'appointments' },
      payload: {
        offerId,
        entryId: randomUUID(),
        clientId: patient.clientId,
        clinicId: randomUUID(),
        doctorId: randomUUID(),
        slotId: randomUUID(),
        start: '2027-01-05T22:00:00.000Z',
        end: '2027-01-05T22:30:00.000Z',
        expiresAt: '2027-01-04T01:15:00.000Z',
        mode: 'sequential',
        holdId: randomUUID(),
      },
    });
    expect(await queueNotifications(bed.db, [offer, offer])).toBe(1);
    expect(await queueNotifications(bed.db, [offer])).toBe(0);
    const rows = await bed.db.notification.findMany({ where: { eventId: offer.id } });
    expect(
      rows.map((row) => [row.recipient, row.channel, row.clientId, row.reason, row.appointmentId]),
    ).toEqual([['patient', 'email', patient.clientId, 'waitlist_offer', offerId]]);
    expect(rows[0]?.appointmentStart).toEqual(new Date('2027-01-05T22:00:00.000Z'));
  });
});
