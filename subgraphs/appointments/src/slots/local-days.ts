import { DateTime, IANAZone } from 'luxon';
import { appError } from '@clinic/contracts';

export const DEFAULT_TIME_ZONE = 'Australia/Sydney';
const MAX_DAYS = 31;

/**
 * Day ranges already worked out, as epoch ms, by `fromDate|toDate|zone`: luxon's offset arithmetic was
 * most of a slot search's own CPU (profiled), and a page's dates repeat across its callers. Only valid
 * ranges are kept; the map starts over when full, so callers cannot grow it.
 */
const knownRanges = new Map<string, { from: number; to: number }>();
const MAX_KNOWN_RANGES = 1000;

/** The instants [from, to) covering calendar days fromDate..toDate (inclusive) in an IANA time zone. */
export function localDays(
  fromDate: string,
  toDate: string,
  timeZone: string | null | undefined,
): { from: Date; to: Date; zone: string } {
  const zone = checkZone(timeZone);
  const key = `${fromDate}|${toDate}|${zone}`;
  const known = knownRanges.get(key);
  // New Date objects each time: callers may change theirs.
  if (known) return { from: new Date(known.from), to: new Date(known.to), zone };
  const range = workOutLocalDays(fromDate, toDate, zone);
  if (knownRanges.size >= MAX_KNOWN_RANGES) knownRanges.clear();
  knownRanges.set(key, { from: range.from.getTime(), to: range.to.getTime() });
  return { ...range, zone };
}

function workOutLocalDays(fromDate: string, toDate: string, zone: string): { from: Date; to: Date } {
  const first = DateTime.fromISO(fromDate, { zone });
  const last = DateTime.fromISO(toDate, { zone });
  if (!first.isValid || fromDate.length !== 10)
    throw appError('BAD_USER_INPUT', 'fromDate must be YYYY-MM-DD.');
  if (!last.isValid || toDate.length !== 10) throw appError('BAD_USER_INPUT', 'toDate must be YYYY-MM-DD.');
  if (last < first) throw appError('BAD_USER_INPUT', 'toDate must not be before fromDate.');
  if (last.diff(first, 'days').days >= MAX_DAYS) {
    throw appError('BAD_USER_INPUT', `Ask for at most ${MAX_DAYS} days at a time.`);
  }
  // startOf('day') of the next day, not +24h: local days are 23 or 25 hours long at DST changes.
  return {
    from: first.startOf('day').toJSDate(),
    to: last.plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

/**
 * Zones already found valid. luxon's isValidZone builds an Intl.DateTimeFormat on every call, the
 * costliest step of a slot search (profiled); the answer for a name never changes. Only valid names are
 * kept, and at most MAX_KNOWN_ZONES of them (case variants of one zone all pass), so callers cannot grow it.
 */
const knownZones = new Set<string>();
const MAX_KNOWN_ZONES = 1000;

export function checkZone(timeZone: string | null | undefined): string {
  const zone = timeZone ?? DEFAULT_TIME_ZONE;
  if (knownZones.has(zone)) return zone;
  if (!IANAZone.isValidZone(zone)) {
    throw appError('BAD_USER_INPUT', 'timeZone is not an IANA time zone such as Australia/Perth.');
  }
  if (knownZones.size < MAX_KNOWN_ZONES) knownZones.add(zone);
  return zone;
}
