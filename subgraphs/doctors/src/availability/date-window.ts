import { DateTime } from 'luxon';

/**
 * Every date the availability service takes lies within this many years of today (docs/availability.md):
 * exceptions, rules' validity dates and the ranges asked of availabilityExceptions. Nobody plans a roster
 * further ahead, and a date in 1900 or 2100 is a typing mistake that would otherwise be stored and
 * republish the doctor's slots.
 */
export const DATE_WINDOW_YEARS = 2;

/** The instants [earliest, latest] a date may take, as of `now`. */
export function dateWindow(now: Date = new Date()): { earliest: Date; latest: Date } {
  const today = DateTime.fromJSDate(now, { zone: 'utc' });
  return {
    earliest: today.minus({ years: DATE_WINDOW_YEARS }).toJSDate(),
    latest: today.plus({ years: DATE_WINDOW_YEARS }).toJSDate(),
  };
}

export function inDateWindow(instant: Date, now: Date = new Date()): boolean {
  const { earliest, latest } = dateWindow(now);
  return instant >= earliest && instant <= latest;
}

/** The same window as calendar dates (YYYY-MM-DD, UTC): a day's difference at its edges does not matter. */
export function localDateWindow(now: Date = new Date()): { earliest: string; latest: string } {
  const { earliest, latest } = dateWindow(now);
  return { earliest: earliest.toISOString().slice(0, 10), latest: latest.toISOString().slice(0, 10) };
}

export const OUTSIDE_WINDOW = `Use a date within ${DATE_WINDOW_YEARS} years of today.`;
