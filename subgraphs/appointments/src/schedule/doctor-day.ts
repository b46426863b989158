import { appError, type Identity } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import { maySeeDoctorDay } from '../access/access';
import type { AppointmentsDatabase } from '../database';
import type { Appointment, Slot } from '../generated/prisma/client';
import { localDays } from '../slots/local-days';

export interface DoctorDay {
  doctorId: string;
  date: string;
  timeZone: string;
  slots: { slot: Slot; appointment: Appointment | null }[];
}

/**
 * The clinic a doctor works at, as far as this service knows: a doctor works at one clinic, so any of
 * their slots tells, the day's or any other. Null for a doctor without a single slot here: their day is
 * then refused to clinic staff rather than answered empty, since an empty day would look the same for
 * another clinic's doctor (docs/policy.md).
 */
async function doctorsClinic(
  db: AppointmentsDatabase,
  doctorId: string,
  daySlots: readonly Slot[],
): Promise<string | null> {
  const clinics = new Set(daySlots.map((slot) => slot.clinicId));
  if (clinics.size > 1) return null;
  const [onTheDay] = clinics;
  if (onTheDay) return onTheDay;
  const any = await db.slot.findFirst({ where: { doctorId }, select: { clinicId: true } });
  return any?.clinicId ?? null;
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
    // The active appointment: a booking, or a hold that has not lapsed (a lapsed hold's slot reads free).
    include: {
      appointments: {
        where: { OR: [{ status: 'booked' }, { status: 'pending', holdExpiresAt: { gt: new Date() } }] },
        take: 1,
      },
    },
  });
  if (!(await maySeeDoctorDay(identity, doctorId, () => doctorsClinic(db, doctorId, slots))))
    throw appError('FORBIDDEN', "Only the doctor and their clinic's staff see this day.");
  return {
    doctorId,
    date,
    timeZone: zone,
    slots: slots.map(({ appointments, ...slot }) => ({
      slot:
        slot.status === 'busy_tentative' && appointments.length === 0 ? { ...slot, status: 'free' } : slot,
      appointment: appointments[0] ?? null,
    })),
  };
}
