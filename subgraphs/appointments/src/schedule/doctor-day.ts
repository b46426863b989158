import { appError, isUuid, type Identity } from '@clinic/platform';
import type { AppointmentsDatabase } from '../database';
import type { Appointment, Slot } from '../generated/prisma/client';
import { localDays } from '../slots/local-days';

export interface DoctorDay {
  doctorId: string;
  date: string;
  timeZone: string;
  slots: { slot: Slot; appointment: Appointment | null }[];
}

/** Staff view of one doctor's day: every slot whatever its status, with the active appointment on it. */
export async function doctorDay(
  db: AppointmentsDatabase,
  identity: Identity | null,
  doctorId: string,
  date: string,
  timeZone: string | null | undefined,
): Promise<DoctorDay> {
  if (!identity) throw appError('UNAUTHENTICATED', "Sign in to see a doctor's day.");
  if (!isUuid(doctorId)) throw appError('BAD_USER_INPUT', 'doctorId is not a valid id.');
  const { from, to, zone } = localDays(date, date, timeZone);
  const slots = await db.slot.findMany({
    where: { doctorId, start: { gte: from, lt: to } },
    orderBy: { start: 'asc' },
    include: { appointments: { where: { status: { in: ['pending', 'booked'] } }, take: 1 } },
  });
  const allowed = (() => {
    switch (identity.role) {
      case 'Doctor':
        return identity.subject === doctorId;
      case 'ClinicAdmin':
      case 'PracticeManager':
        // A doctor works at one clinic, so any of their slots tells which clinic's staff may look.
        return slots.every((slot) => slot.clinicId === identity.clinicId);
      case 'SystemAdministrator':
        return true;
      default:
        return false;
    }
  })();
  if (!allowed) throw appError('FORBIDDEN', "Only the doctor and their clinic's staff see this day.");
  return {
    doctorId,
    date,
    timeZone: zone,
    slots: slots.map(({ appointments, ...slot }) => ({ slot, appointment: appointments[0] ?? null })),
  };
}
