import DataLoader from 'dataloader';
import { directRead, groupedByKey, inKeyOrder, isUuid } from '@clinic/platform';
import type { DoctorsDatabase } from '../database';
import type { Clinic, Doctor } from '../generated/prisma/client';

/** A doctor's columns, named as Prisma's Doctor, with their clinic's beside them (null without one). */
interface DoctorWithClinicRow extends Doctor {
  clinic_id: string | null;
  clinic_name: string;
  clinic_suburb: string;
  clinic_state: string;
  clinic_time_zone: string;
  clinic_created_at: Date;
}

/**
 * Doctors with their clinics in one statement: every page that shows a doctor shows their clinic (the
 * availability page, a patient's appointments), and two Prisma queries cost the subgraph more CPU than
 * the join. Straight to the pool (directRead), as Prisma's own work per query was still most of this
 * read's CPU (profiled). Tables are named as Prisma names them, so query logs read alike.
 */
export const DOCTORS_WITH_CLINICS_SQL = `
    SELECT d.id, d.clinic_id AS "clinicId", d.given_name AS "givenName", d.family_name AS "familyName",
           d.specialty, d.status::text AS status, d.offers_telehealth AS "offersTelehealth",
           d.created_at AS "createdAt", d.availability_published_until AS "availabilityPublishedUntil",
           c.id AS clinic_id, c.name AS clinic_name, c.suburb AS clinic_suburb, c.state AS clinic_state,
           c.time_zone AS clinic_time_zone, c.created_at AS clinic_created_at
      FROM "public"."doctor" d LEFT JOIN "public"."clinic" c ON c.id = d.clinic_id
     WHERE d.id = ANY($1::uuid[])`;

function doctorsWithClinics(db: DoctorsDatabase, ids: string[]): Promise<DoctorWithClinicRow[]> {
  return directRead<DoctorWithClinicRow>(db, DOCTORS_WITH_CLINICS_SQL, [ids]);
}

/** Per-request batching: a page of entities costs one query per entity type, not one per row. */
export function createDirectoryLoaders(db: DoctorsDatabase) {
  const clinic = new DataLoader<string, Clinic | null>(async (ids) => {
    const rows = await db.clinic.findMany({ where: { id: { in: ids.filter(isUuid) } } });
    return inKeyOrder(ids, rows, (row) => row.id);
  });
  const doctor = new DataLoader<string, Doctor | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length === 0 ? [] : await doctorsWithClinics(db, valid);
    const doctors = rows.map((row): Doctor => {
      // The doctor's clinic is then already loaded for Doctor.clinic in this request.
      if (row.clinic_id !== null)
        clinic.prime(row.clinic_id, {
          id: row.clinic_id,
          name: row.clinic_name,
          suburb: row.clinic_suburb,
          state: row.clinic_state,
          timeZone: row.clinic_time_zone,
          createdAt: row.clinic_created_at,
        });
      return {
        id: row.id,
        clinicId: row.clinicId,
        givenName: row.givenName,
        familyName: row.familyName,
        specialty: row.specialty,
        status: row.status,
        offersTelehealth: row.offersTelehealth,
        createdAt: row.createdAt,
        availabilityPublishedUntil: row.availabilityPublishedUntil,
      };
    });
    return inKeyOrder(ids, doctors, (row) => row.id);
  });
  return {
    clinic,
    doctor,
    doctorsByClinic: new DataLoader<string, Doctor[]>(async (clinicIds) => {
      const rows = await db.doctor.findMany({
        // A removed doctor has left the clinic: kept for their past appointments, gone from its list.
        where: { clinicId: { in: clinicIds.filter(isUuid) }, status: { not: 'removed' } },
        orderBy: [{ familyName: 'asc' }, { givenName: 'asc' }],
      });
      return groupedByKey(clinicIds, rows, (row) => row.clinicId);
    }),
  };
}

export type DirectoryLoaders = ReturnType<typeof createDirectoryLoaders>;
