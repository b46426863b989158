import { DateTime } from 'luxon';
import { appError } from '@clinic/contracts';

/**
 * The slot searches answer for dates within this many years of now (docs/availability.md), as the doctors
 * service takes availability: slots exist only for the published horizon (60 days by default), and a
 * range in 1900 or the year 9999 is a mistake better refused than searched (or overflowed).
 */
export const DATE_WINDOW_YEARS = 2;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The window's bounds as offsets from the start of one UTC day. Years are calendar years (a 29 February
 * becomes the 28th), so the offsets are the same for every instant of that day: worked out with luxon
 * once a day instead of twice per search, where they were a visible share of a search's CPU (profiled).
 */
let bounds: { day: number; earliest: number; latest: number } | null = null;

/** Refuses an instant outside the window as the caller's mistake; `name` is the argument's, never a value. */
export function checkInDateWindow(name: string, instant: Date, now: Date = new Date()): void {
  const at = now.getTime();
  const day = Math.floor(at / DAY_MS) * DAY_MS;
  if (bounds?.day !== day) {
    const start = DateTime.fromMillis(day, { zone: 'utc' });
    bounds = {
      day,
      earliest: start.minus({ years: DATE_WINDOW_YEARS }).toMillis() - day,
      latest: start.plus({ years: DATE_WINDOW_YEARS }).toMillis() - day,
    };
  }
  const time = instant.getTime();
  if (!(time >= at + bounds.earliest && time <= at + bounds.latest)) {
    throw appError('BAD_USER_INPUT', `${name} must lie within ${DATE_WINDOW_YEARS} years of today.`);
  }
}
