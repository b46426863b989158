import type { EventActor, EventEnvelope } from '@clinic/contracts';
import { createEvent, enqueueEvents, handleOnceBatch, type RawSql } from '@clinic/platform';
import type { PatientsDatabase } from '../database';

/** The consumer group and inbox name of the patient-clinic links. */
export const CLINIC_LINKS_CONSUMER = 'patients-clinic-links';

/** How a link started (docs/policy.md): each is something the patient did or granted. */
export type LinkSource = 'booking' | 'registration' | 'access_code';

/** Events that place an appointment at a clinic; they link only when the patient acted themself. */
const PLACING = new Set(['appointment.booked', 'appointment.rescheduled']);

/**
 * Links patients to clinics in the caller's transaction and writes a `patient.clinic-linked` event for
 * each link that is new, so the appointments service learns of it exactly when it exists. Links only
 * registered patients. Returns the links that were new.
 */
export async function linkClinics(
  tx: RawSql,
  links: readonly { clientId: string; clinicId: string }[],
  source: LinkSource,
  actor: EventActor,
): Promise<{ clientId: string; clinicId: string }[]> {
  if (links.length === 0) return [];
  const made = await tx.$queryRawUnsafe<{ client_id: string; clinic_id: string }[]>(
    `INSERT INTO "patient_clinic" ("client_id", "clinic_id", "source")
     SELECT l."client_id", l."clinic_id", $3::clinic_link_source
     FROM unnest($1::uuid[], $2::uuid[]) AS l("client_id", "clinic_id")
     WHERE EXISTS (SELECT 1 FROM "patient" p WHERE p."client_id" = l."client_id")
     ON CONFLICT DO NOTHING
     RETURNING "client_id"::text AS "client_id", "clinic_id"::text AS "clinic_id"`,
    links.map((link) => link.clientId),
    links.map((link) => link.clinicId),
    source,
  );
  const fresh = made.map((row) => ({ clientId: row.client_id, clinicId: row.clinic_id }));
  await enqueueEvents(
    tx,
    'patients',
    fresh.map((link) =>
      createEvent({ type: 'patient.clinic-linked', aggregateId: link.clientId, actor, payload: link }),
    ),
  );
  return fresh;
}

/**
 * Ends a patient's links (to one clinic, or to every clinic when clinicId is null) in the caller's
 * transaction, with a `patient.clinic-unlinked` event for each link that existed. Returns how many ended.
 */
export async function unlinkClinics(
  tx: RawSql,
  clientId: string,
  clinicId: string | null,
  actor: EventActor,
): Promise<number> {
  const ended = await tx.$queryRawUnsafe<{ clinic_id: string }[]>(
    `DELETE FROM "patient_clinic" WHERE "client_id" = $1::uuid AND ($2::uuid IS NULL OR "clinic_id" = $2::uuid)
     RETURNING "clinic_id"::text AS "clinic_id"`,
    clientId,
    clinicId,
  );
  await enqueueEvents(
    tx,
    'patients',
    ended.map((row) =>
      createEvent({
        type: 'patient.clinic-unlinked',
        aggregateId: clientId,
        actor,
        payload: { clientId, clinicId: row.clinic_id },
      }),
    ),
  );
  return ended.length;
}

/**
 * The first way a clinic reaches a patient: the patient's own booking there. An appointment event links
 * its patient to its clinic only when its actor is that patient; a booking, hold, reschedule or
 * re-assignment by staff or by the system links nobody, so staff can never create the very link that
 * would let them in. Exactly once per event (inbox, links and their events in one transaction). Returns
 * how many events were new.
 */
export async function linkPatientsToClinics(
  db: PatientsDatabase,
  events: readonly EventEnvelope[],
): Promise<number> {
  const placing = events.filter((event) => PLACING.has(event.type));
  if (placing.length === 0) return 0;
  return handleOnceBatch(db, CLINIC_LINKS_CONSUMER, placing, async (tx, fresh) => {
    for (const event of fresh) {
      // Every placing event carries the appointment's placement (clientId and clinicId among it).
      const { clientId, clinicId } = event.payload as EventEnvelope<'appointment.booked'>['payload'];
      if (event.actor.role !== 'Patient' || event.actor.subject !== clientId) continue;
      await linkClinics(tx, [{ clientId, clinicId }], 'booking', event.actor);
    }
  });
}
