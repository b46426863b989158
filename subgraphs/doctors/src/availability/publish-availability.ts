import type { EventActor, EventEnvelope } from '@clinic/contracts';
import { createEvent, enqueueEvents } from '@clinic/platform';
import { DateTime } from 'luxon';
import type { Prisma } from '../generated/prisma/client';
import { deriveSlots, type SlotTime, type WeeklyRule } from './derive-slots';

export type DoctorsTransaction = Prisma.TransactionClient;

/** The largest slot list one availability-changed event may carry (the envelope's limit). */
export const MAX_SLOTS_PER_EVENT = 5000;
export const DEFAULT_HORIZON_DAYS = 60;

/** The actor of events the service publishes on its own (roll-forward, republish). */
export const SYSTEM_ACTOR: EventActor = { role: 'System', subject: 'doctors-availability' };

/**
 * The end of the published window: midnight UTC `days` days after today. It moves once a day, so the
 * roll-forward publishes one new day per doctor per day however often it runs.
 */
export function horizonEnd(now: Date, days: number): Date {
  return DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day').plus({ days }).toJSDate();
}

export interface AvailabilityWindow {
  start: Date;
  end: Date;
}

/** Splits a window's slots so each part holds at most `max`; the parts' windows tile the whole window. */
export function chunkWindow(
  slots: readonly SlotTime[],
  window: AvailabilityWindow,
  max = MAX_SLOTS_PER_EVENT,
): { window: AvailabilityWindow; slots: SlotTime[] }[] {
  const parts: { window: AvailabilityWindow; slots: SlotTime[] }[] = [];
  let start = window.start;
  for (let offset = 0; offset < slots.length || parts.length === 0; offset += max) {
    const part = slots.slice(offset, offset + max);
    const next = slots[offset + max];
    const end = next ? next.start : window.end;
    parts.push({ window: { start, end }, slots: part });
    start = end;
  }
  return parts;
}

/**
 * Derives a doctor's slots in a window from their rules and exceptions and writes them to the outbox as
 * `doctor.availability-changed` events (several when they exceed the event limit), inside the caller's
 * transaction. A doctor who is not active has no slots: the events then carry an empty list. Each event
 * also says whether the doctor offers telehealth.
 */
export async function publishAvailability(
  tx: DoctorsTransaction,
  doctorId: string,
  requested: AvailabilityWindow,
  actor: EventActor,
): Promise<EventEnvelope<'doctor.availability-changed'>[]> {
  // One publisher per doctor at a time, until its transaction ends: each reads the rules and exceptions
  // the previous one committed, so the last event is the whole truth (two changes at once could each
  // publish a snapshot without the other's leave). NO KEY UPDATE, so rows referencing the doctor (a new
  // exception) do not conflict with it.
  await tx.$queryRawUnsafe('SELECT id FROM doctor WHERE id = $1::uuid FOR NO KEY UPDATE', doctorId);
  const doctor = await tx.doctor.findUniqueOrThrow({ where: { id: doctorId }, include: { clinic: true } });
  // Cover everything published before too (the horizon may have shrunk, or the seed published further):
  // a time the consumer holds beyond the window would otherwise never be withdrawn.
  const published = doctor.availabilityPublishedUntil;
  const window =
    published && published > requested.end && published > requested.start
      ? { start: requested.start, end: published }
      : requested;
  let slots: SlotTime[] = [];
  if (doctor.status === 'active') {
    const [rules, exceptions] = await Promise.all([
      tx.availabilityRule.findMany({ where: { doctorId } }),
      tx.availabilityException.findMany({
        where: { doctorId, startsAt: { lt: window.end }, endsAt: { gt: window.start } },
      }),
    ]);
    slots = deriveSlots({
      rules: rules.map(toWeeklyRule),
      exceptions,
      timeZone: doctor.clinic.timeZone,
      windowStart: window.start,
      windowEnd: window.end,
    });
  }
  const events = chunkWindow(slots, window).map((part) =>
    createEvent({
      type: 'doctor.availability-changed',
      aggregateId: doctor.id,
      actor,
      payload: {
        doctorId: doctor.id,
        clinicId: doctor.clinicId,
        windowStart: part.window.start.toISOString(),
        windowEnd: part.window.end.toISOString(),
        slots: part.slots.map((slot) => ({ start: slot.start.toISOString(), end: slot.end.toISOString() })),
        // With every publication, so the appointments service learns it per slot and a change reaches them.
        telehealth: doctor.offersTelehealth,
      },
    }),
  );
  await enqueueEvents(tx, 'doctors', events);
  // Never moves back: a change inside the horizon must not make the roll-forward republish days.
  await tx.$executeRaw`UPDATE "doctor" SET "availability_published_until" = GREATEST("availability_published_until", ${window.end}) WHERE "id" = ${doctorId}::uuid`;
  return events;
}

/** A stored rule as the deriver reads it: TIME and DATE columns arrive as UTC-based Dates. */
export function toWeeklyRule(row: {
  weekday: number;
  startLocal: Date;
  endLocal: Date;
  slotMinutes: number;
  validFrom: Date | null;
  validUntil: Date | null;
}): WeeklyRule {
  return {
    weekday: row.weekday,
    startLocal: row.startLocal.toISOString().slice(11, 16),
    endLocal: row.endLocal.toISOString().slice(11, 16),
    slotMinutes: row.slotMinutes,
    validFrom: row.validFrom?.toISOString().slice(0, 10) ?? null,
    validUntil: row.validUntil?.toISOString().slice(0, 10) ?? null,
  };
}
