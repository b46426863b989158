import { notAllowed, type EventEnvelope, type Identity, type NotAllowed } from '@clinic/contracts';
import { handleOnceBatch, isUuid } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';

/** The consumer group and inbox name of this service's copy of the clinic links. */
export const CLINIC_LINKS_CONSUMER = 'appointments-clinic-links';

const LINK_EVENTS = new Set(['patient.clinic-linked', 'patient.clinic-unlinked', 'patient.erased']);

/**
 * One answer for a patient not linked to the caller's clinic and for a clientId that is no patient, so a
 * refusal does not tell which (docs/policy.md).
 */
const NOT_YOURS =
  'You can act only for patients linked to your clinic (their booking, registration or code).';

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

/**
 * Whether the caller may book or hold for this patient: null when they may, the typed NotAllowed when not.
 * A patient acts only for themself. Clinic staff act only for patients linked to their clinic (a link
 * starts only with the patient's own booking, registration or code there), and a clientId that is no
 * registered patient is never linked, so it gets the very same NotAllowed. Everyone else (a doctor, a
 * system administrator, staff without a clinic) books for nobody.
 */
export async function staffMayActFor(
  db: Pick<AppointmentsDatabase, 'clinicLink'>,
  identity: Identity,
  clientId: string,
): Promise<NotAllowed | null> {
  if (identity.role === 'Patient')
    return identity.subject === clientId ? null : notAllowed('Patients book only for themselves.');
  if ((identity.role !== 'ClinicAdmin' && identity.role !== 'PracticeManager') || !identity.clinicId)
    return notAllowed(NOT_YOURS);
  if (!isUuid(clientId)) return notAllowed(NOT_YOURS);
  const link = await db.clinicLink.findUnique({
    where: { clientId_clinicId: { clientId, clinicId: identity.clinicId } },
    select: { clientId: true },
  });
  return link ? null : notAllowed(NOT_YOURS);
}
