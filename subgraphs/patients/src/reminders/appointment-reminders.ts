import { isUuid } from '@clinic/platform';
import type { PatientsDatabase } from '../database';

/** One reminder of an appointment as staff and the patient see it: ids, times and outcome only. */
export interface ReminderView {
  id: string;
  appointmentId: string;
  /** For the access rule only (visibleReminders); not part of the view the schema exposes. */
  clientId: string;
  clinicId: string;
  offsetMinutes: number;
  appointmentStart: Date;
  dueAt: Date;
  /** scheduled → sending → sent (or failed); cancelled or skipped instead of sending. */
  status: 'scheduled' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'skipped';
  channel: 'sms' | 'email' | null;
  sentAt: Date | null;
  skipReason: string | null;
}

interface Row {
  id: string;
  appointment_id: string;
  client_id: string;
  clinic_id: string;
  offset_minutes: number;
  appointment_start: Date;
  due_at: Date;
  status: 'pending' | 'queued' | 'cancelled' | 'skipped';
  skip_reason: string | null;
  channel: 'sms' | 'email' | null;
  notification_status: 'pending' | 'sent' | 'failed' | null;
  sent_at: Date | null;
}

/**
 * Every reminder of each appointment, earliest due first, with its notification's outcome; one query for
 * a page of appointments (the loader in registry/loaders.ts batches them). Who sees which: access.ts.
 */
export async function remindersOfAppointments(
  db: PatientsDatabase,
  appointmentIds: readonly string[],
): Promise<ReminderView[][]> {
  const ids = appointmentIds.filter(isUuid);
  const rows =
    ids.length === 0
      ? []
      : await db.$queryRawUnsafe<Row[]>(
          `SELECT r."id"::text, r."appointment_id"::text, r."client_id"::text, r."clinic_id"::text,
             r."offset_minutes", r."appointment_start", r."due_at", r."status"::text, r."skip_reason",
             n."channel"::text AS "channel", n."status"::text AS "notification_status", n."sent_at"
           FROM "reminder" r LEFT JOIN "notification" n ON n."id" = r."notification_id"
           WHERE r."appointment_id" = ANY($1::uuid[])
           ORDER BY r."due_at", r."created_at"`,
          ids,
        );
  const byAppointment = new Map<string, ReminderView[]>();
  for (const row of rows) {
    const list = byAppointment.get(row.appointment_id) ?? [];
    list.push({
      id: row.id,
      appointmentId: row.appointment_id,
      clientId: row.client_id,
      clinicId: row.clinic_id,
      offsetMinutes: row.offset_minutes,
      appointmentStart: row.appointment_start,
      dueAt: row.due_at,
      status: viewStatus(row),
      channel: row.channel,
      sentAt: row.sent_at,
      skipReason: row.skip_reason,
    });
    byAppointment.set(row.appointment_id, list);
  }
  return appointmentIds.map((id) => byAppointment.get(id) ?? []);
}

function viewStatus(row: Row): ReminderView['status'] {
  switch (row.status) {
    case 'pending':
      return 'scheduled';
    case 'cancelled':
    case 'skipped':
      return row.status;
    case 'queued':
      return row.notification_status === 'sent'
        ? 'sent'
        : row.notification_status === 'failed'
          ? 'failed'
          : 'sending';
  }
}
