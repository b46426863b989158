import type { EventEnvelope } from '@clinic/contracts';
import { handleOnceBatch } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';

/** The consumer group and inbox name of this service's copy of the clinic links. */
export const CLINIC_LINKS_CONSUMER = 'appointments-clinic-links';

const LINK_EVENTS = new Set(['patient.clinic-linked', 'patient.clinic-unlinked', 'patient.erased']);

/**
 * Applies the patients service's link changes to `clinic_link`, exactly once per event and in order (one
 * patient's events share a partition key, their clientId): linked adds, unlinked removes, erased removes
 * every link of the patient. Returns how many events were new.
 */
export async function applyClinicLinks(
  db: AppointmentsDatabase,
  events: readonly EventEnvelope[],
): Promise<number> {
  const relevant = events.filter((event) => LINK_EVENTS.has(event.type));
  if (relevant.length === 0) return 0;
  return handleOnceBatch(db, CLINIC_LINKS_CONSUMER, relevant, async (tx, fresh) => {
    for (const event of fresh) {
      const { clientId, clinicId } = event.payload as { clientId: string; clinicId?: string };
      if (event.type === 'patient.clinic-linked')
        await tx.$executeRawUnsafe(
          `INSERT INTO "clinic_link" ("client_id", "clinic_id") VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING`,
          clientId,
          clinicId,
        );
      else
        await tx.$executeRawUnsafe(
          `DELETE FROM "clinic_link" WHERE "client_id" = $1::uuid AND ($2::uuid IS NULL OR "clinic_id" = $2::uuid)`,
          clientId,
          clinicId ?? null,
        );
    }
  });
}
