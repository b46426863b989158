import { handleOnceBatch, type EventBus, type EventEnvelope } from '@clinic/platform';
import type { PatientsDatabase } from '../database';

/** The consumer group and inbox name of the patient-clinic links. */
export const CLINIC_LINKS_CONSUMER = 'patients-clinic-links';

/** Every event that places a patient's appointment at a clinic; a cancellation keeps the link ("had"). */
const PLACING = new Set(['appointment.booked', 'appointment.rescheduled', 'appointment.reassigned']);

/**
 * Records which clinics each patient has (had) an appointment at, exactly once per event (inbox and
 * links in one transaction). The patients service cannot see appointments; this is how it knows whose
 * contact details a clinic's admins may read. Returns how many events were new.
 */
export async function linkPatientsToClinics(
  db: PatientsDatabase,
  events: readonly EventEnvelope[],
): Promise<number> {
  const placing = events.filter((event) => PLACING.has(event.type));
  if (placing.length === 0) return 0;
  return handleOnceBatch(db, CLINIC_LINKS_CONSUMER, placing, async (tx, fresh) => {
    // Every placing event carries the appointment's placement (clientId and clinicId among it).
    const links = fresh.map((event) => event.payload as EventEnvelope<'appointment.booked'>['payload']);
    await tx.$executeRawUnsafe(
      `INSERT INTO "patient_clinic" ("client_id", "clinic_id")
       SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING`,
      links.map((link) => link.clientId),
      links.map((link) => link.clinicId),
    );
  });
}

export async function startClinicLinks(db: PatientsDatabase, bus: EventBus): Promise<void> {
  await bus.subscribe({
    topic: 'appointments',
    group: CLINIC_LINKS_CONSUMER,
    handle: async (event) => void (await linkPatientsToClinics(db, [event])),
    handleBatch: async (events) => void (await linkPatientsToClinics(db, events)),
  });
}
