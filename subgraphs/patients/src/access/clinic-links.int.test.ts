import { randomUUID } from 'node:crypto';
import type { EventActor, EventEnvelope, Identity } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';
import { mockBookedEvent } from '@clinic/testing';
import { erasePatient } from '../vault/erase-patient';
import { registerPatient } from '../vault/register-patient';
import { mockRegistration, vaultTestBed, type VaultTestBed } from '../vault/testing/vault-test-bed';
import {
  createClinicAccessCode,
  MAX_WRONG_CODES,
  redeemClinicAccessCode,
  revokeClinicAccess,
} from './access-codes';
import { CLINIC_LINKS_CONSUMER, linkPatientsToClinics } from './clinic-links';

let bed: VaultTestBed;
beforeAll(async () => {
  bed = await vaultTestBed();
}, 600_000);
afterAll(() => bed?.close());

const linksOf = async (clientId: string) =>
  (await bed.db.patientClinic.findMany({ where: { clientId }, orderBy: { clinicId: 'asc' } })).map(
    (link) => link.clinicId,
  );

/** The link events this patient's changes wrote to the outbox, oldest first. */
async function linkEvents(clientId: string) {
  const rows = await bed.db.outboxEvent.findMany({
    where: { aggregateId: clientId },
    orderBy: { seq: 'asc' },
  });
  return rows.map((row) => {
    const envelope = row.envelope as unknown as EventEnvelope;
    return { topic: row.topic, type: envelope.type, payload: envelope.payload };
  });
}

/** A fresh idempotency key: each call here is a new intended action. */
const k = () => `key-${randomUUID()}`;

const admin = (clinicId: string): Identity => ({
  role: 'ClinicAdmin',
  subject: `admin-${clinicId}`,
  clinicId,
});

async function registered(clinicId?: string): Promise<string> {
  const outcome = await registerPatient(
    mockRegistration(),
    bed.context(clinicId ? admin(clinicId) : { role: 'SystemAdministrator', subject: 'sysadmin' }),
  );
  if (outcome.__typename !== 'PatientRegistered') throw new Error(outcome.__typename);
  return outcome.patient.clientId;
}

function placed(
  type: 'appointment.booked' | 'appointment.rescheduled' | 'appointment.reassigned',
  clientId: string,
  clinicId: string,
  actor: EventActor,
): EventEnvelope {
  const booked = mockBookedEvent();
  const extra =
    type === 'appointment.rescheduled'
      ? { previousSlotId: randomUUID(), previousDoctorId: randomUUID(), previousStart: booked.payload.start }
      : type === 'appointment.reassigned'
        ? { previousDoctorId: randomUUID() }
        : {};
  return createEvent({
    type,
    aggregateId: booked.payload.appointmentId,
    actor,
    payload: { ...booked.payload, clientId, clinicId, ...extra },
  } as Parameters<typeof createEvent>[0]);
}

describe('clinic links from appointment events', () => {
  it("link a patient only where they booked or rescheduled themself, never by staff's or the system's acts", async () => {
    const clientId = await registered();
    const [own, moved, staff, system, other] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const patient: EventActor = { role: 'Patient', subject: clientId };
    const events = [
      placed('appointment.booked', clientId, own, patient),
      placed('appointment.rescheduled', clientId, moved, patient),
      placed('appointment.booked', clientId, staff, { role: 'ClinicAdmin', subject: 'admin' }),
      placed('appointment.rescheduled', clientId, staff, { role: 'ClinicAdmin', subject: 'admin' }),
      placed('appointment.reassigned', clientId, system, { role: 'System', subject: 'reassignment' }),
      // A patient token acting for someone else's clientId links nobody either.
      placed('appointment.booked', clientId, other, { role: 'Patient', subject: randomUUID() }),
    ];
    // Re-assignments are not even read: only bookings and reschedules can be a patient's own act.
    expect(await linkPatientsToClinics(bed.db, events)).toBe(5);
    expect(await linksOf(clientId)).toEqual([own, moved].sort());
    expect((await linkEvents(clientId)).map((event) => event.payload)).toEqual(
      expect.arrayContaining([
        { clientId, clinicId: own },
        { clientId, clinicId: moved },
      ]),
    );
    expect((await linkEvents(clientId)).every((event) => event.topic === 'patients')).toBe(true);
  });

  it('handles a redelivered event once, and links no clientId that is not a registered patient', async () => {
    const clientId = await registered();
    const clinicId = randomUUID();
    const booked = placed('appointment.booked', clientId, clinicId, { role: 'Patient', subject: clientId });
    expect(await linkPatientsToClinics(bed.db, [booked, booked])).toBe(1);
    expect(await linkPatientsToClinics(bed.db, [booked])).toBe(0);
    expect(await linksOf(clientId)).toEqual([clinicId]);
    expect(await linkEvents(clientId)).toHaveLength(1);
    expect(
      await bed.db.inboxEntry.count({ where: { eventId: booked.id, consumer: CLINIC_LINKS_CONSUMER } }),
    ).toBe(1);
    const stranger = randomUUID();
    await linkPatientsToClinics(bed.db, [
      placed('appointment.booked', stranger, clinicId, { role: 'Patient', subject: stranger }),
    ]);
    expect(await linksOf(stranger)).toEqual([]);
  });
});

describe('registration, codes, revocation and erasure', () => {
  it('a new patient registered at a clinic is linked there; one registered by a system administrator nowhere', async () => {
    const clinicId = randomUUID();
    const clientId = await registered(clinicId);
    expect(await linksOf(clientId)).toEqual([clinicId]);
    expect(await linkEvents(clientId)).toEqual([
      { topic: 'patients', type: 'patient.clinic-linked', payload: { clientId, clinicId } },
    ]);
    expect(await linksOf(await registered())).toEqual([]);
  });

  it('registering an existing email at another clinic links nothing and names nobody', async () => {
    const input = mockRegistration();
    const first = await registerPatient(input, bed.context(admin(randomUUID())));
    if (first.__typename !== 'PatientRegistered') throw new Error(first.__typename);
    const other = randomUUID();
    const again = await registerPatient(
      { ...mockRegistration(), email: input.email },
      bed.context(admin(other)),
    );
    expect(again.__typename).toBe('InvalidInput');
    expect(JSON.stringify(again)).not.toContain(first.patient.clientId);
    expect(await bed.db.patientClinic.count({ where: { clinicId: other } })).toBe(0);
  });

  it('a code links the clinic that redeems it once, stores only a hash, and the patient can end the link', async () => {
    const clientId = await registered(randomUUID());
    const patient = bed.context({ role: 'Patient', subject: clientId });
    const made = await createClinicAccessCode(k(), patient);
    if (made.__typename !== 'ClinicAccessCode') throw new Error(made.__typename);
    const stored = await bed.db.clinicAccessCode.findMany({ where: { clientId } });
    expect(stored).toHaveLength(1);
    expect(Buffer.from(stored[0]!.codeHash).toString('latin1')).not.toContain(made.code);
    const clinicId = randomUUID();
    const granted = await redeemClinicAccessCode(
      `${made.code.slice(0, 4).toLowerCase()} ${made.code.slice(4)}`,
      k(),
      bed.context({ role: 'PracticeManager', subject: 'manager', clinicId }),
    );
    expect(granted).toMatchObject({ __typename: 'ClinicAccessGranted', patient: { clientId } });
    expect(await linksOf(clientId)).toContain(clinicId);
    const reused = await redeemClinicAccessCode(made.code, k(), bed.context(admin(randomUUID())));
    expect(reused).toMatchObject({ __typename: 'ClinicAccessCodeRefused', reason: 'INVALID_CODE' });

    expect(await revokeClinicAccess(clinicId, k(), patient)).toEqual({
      __typename: 'ClinicAccessRevoked',
      clinicId,
    });
    expect(await linksOf(clientId)).not.toContain(clinicId);
    expect((await linkEvents(clientId)).at(-1)).toEqual({
      topic: 'patients',
      type: 'patient.clinic-unlinked',
      payload: { clientId, clinicId },
    });
  });

  it('a new code ends the previous one; staff cannot make codes', async () => {
    const clientId = await registered(randomUUID());
    const patient = bed.context({ role: 'Patient', subject: clientId });
    const first = await createClinicAccessCode(k(), patient);
    const second = await createClinicAccessCode(k(), patient);
    if (first.__typename !== 'ClinicAccessCode' || second.__typename !== 'ClinicAccessCode')
      throw new Error();
    expect(await redeemClinicAccessCode(first.code, k(), bed.context(admin(randomUUID())))).toMatchObject({
      reason: 'INVALID_CODE',
    });
    expect((await createClinicAccessCode(k(), bed.context(admin(randomUUID())))).__typename).toBe(
      'NotAllowed',
    );
  });

  it('after MAX_WRONG_CODES wrong codes a clinic is refused every code, the right one included', async () => {
    const clientId = await registered(randomUUID());
    const made = await createClinicAccessCode(k(), bed.context({ role: 'Patient', subject: clientId }));
    if (made.__typename !== 'ClinicAccessCode') throw new Error(made.__typename);
    const guesser = bed.context(admin(randomUUID()));
    for (let attempt = 0; attempt < MAX_WRONG_CODES; attempt++)
      expect(await redeemClinicAccessCode('22222222', k(), guesser)).toMatchObject({
        reason: 'INVALID_CODE',
      });
    expect(await redeemClinicAccessCode(made.code, k(), guesser)).toMatchObject({
      reason: 'TOO_MANY_ATTEMPTS',
    });
    // Another clinic is not held up by this one's guessing.
    expect(await redeemClinicAccessCode(made.code, k(), bed.context(admin(randomUUID())))).toMatchObject({
      __typename: 'ClinicAccessGranted',
    });
  });

  it('erasure ends every link and every code', async () => {
    const clinicId = randomUUID();
    const clientId = await registered(clinicId);
    const made = await createClinicAccessCode(k(), bed.context({ role: 'Patient', subject: clientId }));
    expect(made.__typename).toBe('ClinicAccessCode');
    const erased = await erasePatient(clientId, k(), bed.context(admin(clinicId)));
    expect(erased.__typename).toBe('PatientErased');
    expect(await linksOf(clientId)).toEqual([]);
    expect(await bed.db.clinicAccessCode.count({ where: { clientId } })).toBe(0);
    expect((await linkEvents(clientId)).at(-1)).toMatchObject({
      type: 'patient.clinic-unlinked',
      payload: { clientId, clinicId },
    });
  });
});
