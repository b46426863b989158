import { DateTime } from 'luxon';
import { appError } from '@clinic/contracts';

/**
 * The slot searches answer for dates within this many years of now (docs/availability.md), as the doctors
 * service takes availability: slots exist only for the published horizon (60 days by default), and a
 * range in 1900 or the year 9999 is a mistake better refused than searched (or overflowed).
 */
export const DATE_WINDOW_YEARS = 2;

/** Refuses an instant outside the window as the caller's mistake; `name` is the argument's, never a value. */
export function checkInDateWindow(name: string, instant: Date, now: Date = new Date()): void {
  const today = DateTime.fromJSDate(now, { zone: 'utc' });
  const earliest = today.minus({ years: DATE_WINDOW_YEARS }).toJSDate();
  const latest = today.plus({ years: DATE_WINDOW_YEARS }).toJSDate();
  if (!(instant >= earliest && instant <= latest)) {
    throw appError('BAD_USER_INPUT', `${name} must lie within ${DATE_WINDOW_YEARS} years of today.`);
  }
}
