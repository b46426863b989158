import { appError, invalid, notAllowed, type InvalidInput, type NotAllowed } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import { managesClinicReminders } from '../access/access';
import type { PatientsContext } from '../context';

export interface ReminderStats {
  __typename: 'ReminderStats';
  clinicId: string;
  from: Date;
  to: Date;
  /** Appointments starting in the window that were sent at least one reminder. */
  reminded: number;
  /** Of those, answered "yes, I will come" / "cancel" from a reminder about their time. */
  confirmed: number;
  cancelled: number;
  /** confirmed / reminded; null when nothing was reminded. */
  confirmationRate: number | null;
}

/** At most a year at a time: one indexed scan of the clinic's reminders. */
const MAX_WINDOW_MS = 366 * 86_400_000;

/**
 * A clinic's confirmation rate over appointments starting in [from, to): how many were reminded, and how
 * many of those the patient confirmed (or cancelled) by answering a reminder. Counts only, no ids. The
 * clinic's admins and practice managers, and system administrators (managesClinicReminders).
 */
export async function reminderStats(
  context: PatientsContext,
  clinicId: string,
  from: Date,
  to: Date,
): Promise<ReminderStats | InvalidInput | NotAllowed> {
  if (!context.identity) throw appError('UNAUTHENTICATED', "Sign in to see a clinic's reminders.");
  if (!isUuid(clinicId)) return invalid('clinicId', 'This is not a clinic id.');
  if (!managesClinicReminders(context.identity, clinicId)) {
    return notAllowed("Only the clinic's managers see its confirmation rate.");
  }
  if (!(to > from)) return invalid('to', 'to must be after from.');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS)
    return invalid('to', 'Ask for at most 366 days at a time.');
  const [row] = await context.db.$queryRawUnsafe<
    { reminded: number; confirmed: number; cancelled: number }[]
  >(
    `WITH reminded AS (
       SELECT DISTINCT r."appointment_id", r."appointment_start" FROM "reminder" r
       JOIN "notification" n ON n."id" = r."notification_id"
       WHERE r."clinic_id" = $1::uuid AND r."status" = 'queued' AND n."status" = 'sent'
         AND r."appointment_start" >= $2 AND r."appointment_start" < $3)
     SELECT count(*)::int AS "reminded",
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "reminder_reply" p WHERE p."appointment_id" = m."appointment_id"
         AND p."appointment_start" = m."appointment_start" AND p."answer" = 'confirm'))::int AS "confirmed",
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "reminder_reply" p WHERE p."appointment_id" = m."appointment_id"
         AND p."appointment_start" = m."appointment_start" AND p."answer" = 'cancel'))::int AS "cancelled"
     FROM reminded m`,
    clinicId,
    from,
    to,
  );
  const reminded = row?.reminded ?? 0;
  const confirmed = row?.confirmed ?? 0;
  return {
    __typename: 'ReminderStats',
    clinicId,
    from,
    to,
    reminded,
    confirmed,
    cancelled: row?.cancelled ?? 0,
    confirmationRate: reminded === 0 ? null : confirmed / reminded,
  };
}
