import { DateTime, IANAZone } from 'luxon';

/** One weekly rule in the clinic's wall-clock time. Times are "HH:mm"; dates are ISO "YYYY-MM-DD". */
export interface WeeklyRule {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  startLocal: string;
  endLocal: string;
  slotMinutes: number;
  /** First local date the rule applies (inclusive); open when null. */
  validFrom?: string | null;
  /** Last local date the rule applies (inclusive); open when null. */
  validUntil?: string | null;
}

/** A period the doctor is not available (leave, a blocked morning), as instants. */
export interface UnavailablePeriod {
  startsAt: Date;
  endsAt: Date;
}

export interface SlotTime {
  start: Date;
  end: Date;
}

export interface DeriveSlotsInput {
  rules: readonly WeeklyRule[];
  exceptions: readonly UnavailablePeriod[];
  /** The clinic's IANA time zone, e.g. Australia/Adelaide. */
  timeZone: string;
  /** Slots whose start falls in [windowStart, windowEnd) are returned. */
  windowStart: Date;
  windowEnd: Date;
}

export function isValidTimeZone(timeZone: string): boolean {
  return IANAZone.isValidZone(timeZone);
}

/** Minutes since local midnight of "HH:mm" (or "HH:mm:ss"); null when malformed. */
export function minutesOfDay(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/.exec(value);
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * The instants a doctor is available, derived from weekly rules in the clinic's wall-clock time. Every slot
 * starts at its rule's local time on each date, so 09:00 stays 09:00 across daylight-saving changes; a local
 * time that does not exist (the skipped spring hour) yields no slot, and the repeated autumn hour yields
 * each wall time once (its first occurrence). Slots overlapping an exception are left out. Sorted by start.
 * luxon does the zone arithmetic: it carries the IANA database through Intl, hand-written offsets would not.
 */
export function deriveSlots(input: DeriveSlotsInput): SlotTime[] {
  const { timeZone, windowStart, windowEnd } = input;
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown IANA time zone ${timeZone}`);
  if (!(windowStart < windowEnd)) return [];
  const exceptions = [...input.exceptions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const startMs = windowStart.getTime();
  const endMs = windowEnd.getTime();
  const slots = new Map<number, SlotTime>();

  // One local day of margin on each side: a slot's local date can differ from its UTC date.
  let day = DateTime.fromJSDate(windowStart, { zone: timeZone }).startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromJSDate(windowEnd, { zone: timeZone }).startOf('day').plus({ days: 1 });
  while (day <= lastDay) {
    const date = day.toISODate() ?? '';
    const next = day.plus({ days: 1 });
    // A day that starts at 00:00 and has one offset throughout (all but two days a year in a DST zone) maps
    // every wall time by arithmetic; only a changing day asks luxon for each time. Same answers, ~10x faster.
    const steady = day.hour === 0 && day.minute === 0 && day.offset === next.offset;
    const midnight = day.toMillis();
    for (const rule of input.rules) {
      if (rule.weekday !== day.weekday) continue;
      if (rule.validFrom && date < rule.validFrom) continue;
      if (rule.validUntil && date > rule.validUntil) continue;
      const from = minutesOfDay(rule.startLocal);
      const to = minutesOfDay(rule.endLocal);
      if (from === null || to === null || rule.slotMinutes <= 0) continue;
      for (let minute = from; minute + rule.slotMinutes <= to; minute += rule.slotMinutes) {
        const start = steady ? midnight + minute * 60_000 : wallTime(day, minute, timeZone);
        if (start === null) continue;
        if (start < startMs || start >= endMs || slots.has(start)) continue;
        const end = start + rule.slotMinutes * 60_000;
        if (overlapsAny(exceptions, start, end)) continue;
        slots.set(start, { start: new Date(start), end: new Date(end) });
      }
    }
    day = next;
  }
  return [...slots.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The instant of a local wall time on `day`, or null when that time does not exist (the skipped hour). */
function wallTime(day: DateTime, minute: number, timeZone: string): number | null {
  const hour = Math.floor(minute / 60);
  const wall = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute: minute % 60 },
    { zone: timeZone },
  );
  // luxon moves a nonexistent wall time forward; such a time has no slot.
  return wall.hour === hour && wall.minute === minute % 60 ? wall.toMillis() : null;
}

function overlapsAny(exceptions: readonly UnavailablePeriod[], start: number, end: number): boolean {
  for (const exception of exceptions) {
    if (exception.startsAt.getTime() >= end) return false; // sorted: none later can overlap
    if (exception.endsAt.getTime() > start) return true;
  }
  return false;
}
