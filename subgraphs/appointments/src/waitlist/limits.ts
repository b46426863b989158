import { DateTime, IANAZone } from 'luxon';
import { invalid, type InvalidInput } from '@clinic/contracts';
import { DEFAULT_TIME_ZONE } from '../slots/local-days';

/**
 * The waitlist's limits (docs/waitlist.md). A window is a wish, not a standing order: 60 days at most, and
 * an entry ends with its last day (windowOver: no longer counted, listed or matched), so the line stays
 * made of patients who still want a time; it may start up to a year
 * ahead, as far as any doctor publishes. Five active entries per patient keep one patient from holding a
 * place in every line (and from filling the table), while leaving room for a few clinics or doctors.
 */
export const MAX_WINDOW_DAYS = 60;
export const MAX_DAYS_AHEAD = 366;
export const ENTRIES_PER_PATIENT = 5;

/** What a join asks for, checked and normalised: what the entry stores and the key's fingerprint covers. */
export interface EntryWish {
  fromDate: string;
  toDate: string;
  timeZone: string;
  earliestStartMinute: number | null;
  latestStartMinute: number | null;
}

export interface WishInput {
  fromDate: string;
  toDate: string;
  timeZone?: string | null;
  earliestStart?: string | null;
  latestStart?: string | null;
}

/** The one message for a zone refused here or by the database; it never names the zone sent. */
export const ZONE_RULE = 'Give an IANA time zone such as Australia/Perth (the clinic’s).';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Checks a join's dates and times as the typed InvalidInput of the field at fault. Messages name the field
 * and the rule, never the value sent, so nothing a caller typed is echoed into an answer or a log.
 */
export function checkWish(input: WishInput, now: Date = new Date()): EntryWish | InvalidInput {
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  if (timeZone.length > 64 || !IANAZone.isValidZone(timeZone)) {
    return invalid('timeZone', ZONE_RULE);
  }
  const from = DATE.test(input.fromDate) ? DateTime.fromISO(input.fromDate, { zone: timeZone }) : null;
  if (!from?.isValid) return invalid('fromDate', 'Give the first day as YYYY-MM-DD.');
  const to = DATE.test(input.toDate) ? DateTime.fromISO(input.toDate, { zone: timeZone }) : null;
  if (!to?.isValid) return invalid('toDate', 'Give the last day as YYYY-MM-DD.');
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  if (from < today) return invalid('fromDate', 'The first day may not be in the past.');
  if (from.diff(today, 'days').days > MAX_DAYS_AHEAD) {
    return invalid('fromDate', `The first day may be at most ${MAX_DAYS_AHEAD} days ahead.`);
  }
  if (to < from) return invalid('toDate', 'The last day may not be before the first.');
  // Calendar days, not hours: a window across a daylight-saving change is still whole days.
  if (to.diff(from, 'days').days > MAX_WINDOW_DAYS) {
    return invalid('toDate', `Wait for at most ${MAX_WINDOW_DAYS} days after the first day.`);
  }
  const earliest = minuteOfDay(input.earliestStart);
  if (earliest === undefined) return invalid('earliestStart', 'Give a time of day as HH:MM (24 h).');
  const latest = minuteOfDay(input.latestStart);
  if (latest === undefined) return invalid('latestStart', 'Give a time of day as HH:MM (24 h).');
  if (earliest !== null && latest !== null && latest < earliest) {
    return invalid('latestStart', 'The latest start may not be before the earliest.');
  }
  return {
    fromDate: input.fromDate,
    toDate: input.toDate,
    timeZone,
    earliestStartMinute: earliest,
    latestStartMinute: latest,
  };
}

/** HH:MM as minutes after midnight; null when not given, undefined when malformed. */
export function minuteOfDay(time: string | null | undefined): number | null | undefined {
  if (time == null) return null;
  const match = TIME.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** Minutes after midnight as HH:MM. */
export function timeOfDay(minute: number | null): string | null {
  if (minute === null) return null;
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** A calendar day as the database's DATE column takes and gives it: midnight UTC. */
export const asDateColumn = (day: string) => new Date(`${day}T00:00:00.000Z`);
export const fromDateColumn = (day: Date) => day.toISOString().slice(0, 10);

/**
 * The oldest last day an entry still waiting can have: the date where the day is earliest (UTC-12). An
 * entry whose window ended before it has ended in every zone, so the database can leave it out by index
 * (`to_date`), and windowOver settles the last day or so exactly in the entry's own zone.
 */
export function windowCutoff(now: Date): Date {
  return asDateColumn(new Date(now.getTime() - 12 * 3_600_000).toISOString().slice(0, 10));
}

/** Whether an entry's window has passed: its last day is before today in its zone. */
export function windowOver(entry: { toDate: Date; timeZone: string }, now: Date): boolean {
  const local = DateTime.fromJSDate(now, { zone: entry.timeZone });
  // A zone luxon cannot read is judged in UTC rather than thrown on: listing must not fail on one row.
  const today = (local.isValid ? local : DateTime.fromJSDate(now, { zone: 'utc' })).toISODate();
  return fromDateColumn(entry.toDate) < (today as string);
}

/** The entries still waiting among these active ones (windowCutoff already applied by the query). */
export const stillWaiting = <T extends { toDate: Date; timeZone: string }>(entries: T[], now: Date): T[] =>
  entries.filter((entry) => !windowOver(entry, now));
