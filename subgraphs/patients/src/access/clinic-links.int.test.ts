import { randomUUID } from 'node:crypto';
import { createEvent, mockBookedEvent, type EventEnvelope } from '@clinic/platform';
import { vaultTestBed, type VaultTestBed } from '../vault/vault-test-bed';
import { CLINIC_LINKS_CONSUMER, linkPatientsToClinics } from './clinic-links';

let bed: VaultTestBed;
beforeAll(async () => {
  bed = await vaultTestBed();
}, 60_000);
afterAll(() => bed?.close());

const linksOf = (clientId: string) =>
  bed.db.patientClinic.findMany({ where: { clientId }, orderBy: { clinicId: 'asc' } });

function moved(
  type: 'appointment.rescheduled' | 'appointment.reassigned' | 'appointment.cancelled',
  booked: EventEnvelope<'appointment.booked'>,
  clinicId: string,
): EventEnvelope {
  const placement = { ...booked.payload, clinicId };
  const extra =
    type === 'appointment.rescheduled'
      ? { previousSlotId: randomUUID(), previousDoctorId: randomUUID(), previousStart: placement.start }
      : type === 'appointment.reassigned'
        ? { previousDoctorId: randomUUID() }
        : {};
  return createEvent({
    type,
    aggregateId: placement.appointmentId,
    actor: { role: 'System', subject: 'test' },
    payload: { ...placement, ...extra },
  } as Parameters<typeof createEvent>[0]);
}

describe('patient-clinic links', () => {
  it('links a patient to every clinic an appointment of theirs is booked, moved or re-assigned to', async () => {
    const booked = mockBookedEvent();
    const { clientId, clinicId } = booked.payload;
    const [second, third] = [randomUUID(), randomUUID()];
    const events = [
      booked,
      moved('appointment.rescheduled', booked, second),
      moved('appointment.reassigned', booked, third),
    ];
    expect(await linkPatientsToClinics(bed.db, events)).toBe(3);
    expect((await linksOf(clientId)).map((link) => link.clinicId).sort()).toEqual(
      [clinicId, second, third].sort(),
    );
  });

  it('keeps the link after a cancellation, and handles a redelivered event once', async () => {
    const booked = mockBookedEvent();
    const { clientId, clinicId } = booked.payload;
    expect(await linkPatientsToClinics(bed.db, [booked])).toBe(1);
    expect(await linkPatientsToClinics(bed.db, [booked, booked])).toBe(0);
    expect(await linkPatientsToClinics(bed.db, [moved('appointment.cancelled', booked, clinicId)])).toBe(0);
    expect(await linksOf(clientId)).toHaveLength(1);
    expect(
      await bed.db.inboxEntry.count({ where: { eventId: booked.id, consumer: CLINIC_LINKS_CONSUMER } }),
    ).toBe(1);
  });
});
