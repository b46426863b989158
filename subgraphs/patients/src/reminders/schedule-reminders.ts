import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import { handleOnceBatch, type Logger, type RawSql } from '@clinic/platform';
import type { PatientsDatabase } from '../database';
import { dueInstant } from './due-instant';
import { settingsOf } from './reminder-settings';

/** The consumer group and inbox name of this capability. */
export const REMINDERS_CONSUMER = 'patients-reminders';

/**
 * The zone of each clinic the lookup knows (clinic-directory.ts reads them from the gateway's public
 * `clinics` query, cached). Asked before the transaction, never inside it.
 */
export type ZoneLookup = (clinicIds: readonly string[]) => Promise<ReadonlyMap<string, string>>;

/**
 * The zone a clinic's whole-day offsets are counted in when the directory does not know it: the system's
 * default (the appointments service's too). Only a reminder a whole number of days ahead across a
 * daylight-saving change of this zone can come out an hour off; it is logged (clinic id only).
 */
export const FALLBACK_TIME_ZONE = 'Australia/Sydney';

/** What each appointment event does to the appointment's reminders. */
const EFFECT: Partial<Record<EventEnvelope['type'], { cancel: boolean; schedule: boolean }>> = {
  'appointment.booked': { cancel: false, schedule: true },
  'appointment.cancelled': { cancel: true, schedule: false },
  // The old time's pending reminders go; the new time gets its own.
  'appointment.rescheduled': { cancel: true, schedule: true },
  // Same time, another doctor: the pending ones stay (and name the new doctor); missing ones are added.
  'appointment.reassigned': { cancel: false, schedule: true },
  // Nobody to see the patient: the clinic will call them; no reminder for a visit that may not happen.
  'appointment.needs-attention': { cancel: true, schedule: false },
  // Back with its own doctor at the same time: reminded again.
  'appointment.returned': { cancel: false, schedule: true },
};

export function affectsReminders(event: EventEnvelope): boolean {
  return EFFECT[event.type] !== undefined;
}

type Placement = EventEnvelope<'appointment.booked'>['payload'];

interface Planned {
  id: string;
  appointmentId: string;
  clientId: string;
  clinicId: string;
  doctorId: string;
  start: Date;
  offsetMinutes: number;
  timeZone: string;
  dueAt: Date;
  eventId: string;
}

/** Per appointment, what a run of its events comes to, applied in three statements in this order. */
interface Folded {
  cancel: boolean;
  doctorId: string | null;
  plan: Planned[];
}

/**
 * Schedules, cancels and keeps reminders for a run of appointment events, exactly once: the inbox rows and
 * the reminder rows commit in one transaction (handleOnceBatch), so a redelivered event changes nothing.
 *
 * A reminder is scheduled for each of the clinic's offsets whose due instant (due-instant.ts) is after the
 * moment the event happened: a booking made after a due instant gets no reminder for that offset, however
 * late the event is handled. The partial unique index on (appointment, offset) WHERE pending keeps at
 * most one pending reminder per offset, and no offset of a time already reminded about is scheduled again.
 * Returns how many events were new, and the earliest due instant it planned (null: none).
 */
export async function scheduleReminders(
  db: PatientsDatabase,
  events: readonly EventEnvelope[],
  zones: ZoneLookup,
  logger?: Logger,
): Promise<{ handled: number; firstDue: Date | null }> {
  const relevant = events.filter(affectsReminders);
  let firstDue: Date | null = null;
  if (relevant.length === 0) return { handled: 0, firstDue };
  const scheduling = relevant.filter((event) => EFFECT[event.type]?.schedule);
  const clinicIds = [...new Set(scheduling.map((event) => (event.payload as Placement).clinicId))];
  const known = clinicIds.length > 0 ? await zones(clinicIds) : new Map<string, string>();
  for (const clinicId of clinicIds) {
    if (!known.has(clinicId))
      logger?.warn({ clinicId }, 'clinic time zone unknown; reminders use the default zone');
  }
  const handled = await handleOnceBatch(db, REMINDERS_CONSUMER, relevant, async (tx, fresh) => {
    firstDue = null; // a retried transaction counts only what finally commits
    const settings = await settingsOf(
      tx,
      fresh
        .filter((event) => EFFECT[event.type]?.schedule)
        .map((event) => (event.payload as Placement).clinicId),
    );
    const byAppointment = new Map<string, Folded>();
    // Events of one appointment share a partition key and arrive in order: fold them in that order.
    for (const event of fresh) {
      const effect = EFFECT[event.type];
      if (!effect) continue;
      const payload = event.payload as Placement;
      const folded = byAppointment.get(payload.appointmentId) ?? { cancel: false, doctorId: null, plan: [] };
      byAppointment.set(payload.appointmentId, folded);
      if (effect.cancel) {
        folded.cancel = true;
        folded.plan = [];
      }
      if (!effect.schedule) continue;
      folded.doctorId = payload.doctorId;
      const clinic = settings.get(payload.clinicId);
      if (!clinic || clinic.channels.length === 0) continue;
      const timeZone = known.get(payload.clinicId) ?? FALLBACK_TIME_ZONE;
      const start = new Date(payload.start);
      const happened = new Date(event.occurredAt);
      for (const offsetMinutes of clinic.offsetsMinutes) {
        if (
          folded.plan.some(
            (row) => row.offsetMinutes === offsetMinutes && row.start.getTime() === start.getTime(),
          )
        ) {
          continue; // already planned by an earlier event of this run: keep it (it names the latest doctor below)
        }
        const dueAt = dueInstant(start, offsetMinutes, timeZone);
        if (dueAt <= happened) continue;
        folded.plan.push({
          id: randomUUID(),
          appointmentId: payload.appointmentId,
          clientId: payload.clientId,
          clinicId: payload.clinicId,
          doctorId: payload.doctorId,
          start,
          offsetMinutes,
          timeZone,
          dueAt,
          eventId: event.id,
        });
      }
      for (const row of folded.plan) row.doctorId = payload.doctorId;
    }
    for (const { plan } of byAppointment.values())
      for (const { dueAt } of plan) if (!firstDue || dueAt < firstDue) firstDue = dueAt;
    await apply(tx, byAppointment);
  });
  return { handled, firstDue };
}

async function apply(tx: RawSql, byAppointment: Map<string, Folded>): Promise<void> {
  const entries = [...byAppointment.entries()];
  const cancelled = entries.filter(([, folded]) => folded.cancel).map(([id]) => id);
  if (cancelled.length > 0) {
    await tx.$executeRawUnsafe(
      `UPDATE "reminder" SET "status" = 'cancelled', "closed_at" = now()
       WHERE "appointment_id" = ANY($1::uuid[]) AND "status" = 'pending'`,
      cancelled,
    );
    // Reminders already sent can no longer be answered: the time they named is gone.
    await tx.$executeRawUnsafe(
      `UPDATE "reminder_reply" SET "expires_at" = now()
       WHERE "appointment_id" = ANY($1::uuid[]) AND "answered_at" IS NULL AND "expires_at" > now()`,
      cancelled,
    );
  }
  const doctors = entries.filter(([, folded]) => folded.doctorId !== null);
  if (doctors.length > 0) {
    // A re-assigned appointment's pending reminders name its new doctor.
    await tx.$executeRawUnsafe(
      `UPDATE "reminder" r SET "doctor_id" = t."doctor_id"
       FROM unnest($1::uuid[], $2::uuid[]) AS t("appointment_id", "doctor_id")
       WHERE r."appointment_id" = t."appointment_id" AND r."status" = 'pending'`,
      doctors.map(([id]) => id),
      doctors.map(([, folded]) => folded.doctorId),
    );
  }
  const rows = entries.flatMap(([, folded]) => folded.plan);
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO "reminder" ("id", "appointment_id", "client_id", "clinic_id", "doctor_id", "appointment_start",
       "offset_minutes", "time_zone", "due_at", "event_id")
     SELECT t.* FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::timestamptz[],
                            $7::int[], $8::text[], $9::timestamptz[], $10::uuid[])
       AS t("id", "appointment_id", "client_id", "clinic_id", "doctor_id", "appointment_start",
            "offset_minutes", "time_zone", "due_at", "event_id")
     -- A time already reminded about at this offset is not reminded about again (a re-assignment or a
     -- return at the same time after the reminder went out).
     WHERE NOT EXISTS (SELECT 1 FROM "reminder" q WHERE q."appointment_id" = t."appointment_id"
                         AND q."offset_minutes" = t."offset_minutes"
                         AND q."appointment_start" = t."appointment_start" AND q."status" IN ('queued', 'skipped'))
     ON CONFLICT ("appointment_id", "offset_minutes") WHERE "status" = 'pending' DO NOTHING`,
    rows.map((row) => row.id),
    rows.map((row) => row.appointmentId),
    rows.map((row) => row.clientId),
    rows.map((row) => row.clinicId),
    rows.map((row) => row.doctorId),
    rows.map((row) => row.start),
    rows.map((row) => row.offsetMinutes),
    rows.map((row) => row.timeZone),
    rows.map((row) => row.dueAt),
    rows.map((row) => row.eventId),
  );
}
