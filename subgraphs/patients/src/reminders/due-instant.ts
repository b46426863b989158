import { DateTime, IANAZone } from 'luxon';

const MINUTES_PER_DAY = 24 * 60;
/** Far enough either side of an instant to see both offsets of any daylight-saving change there. */
const AROUND_MS = 6 * 3_600_000;

/**
 * When a reminder `offsetMinutes` before an appointment falls due, in the clinic's zone.
 *
 * - A whole number of days (1440, 2880, …) is counted on the clinic's wall clock: the same local time of
 *   day, that many calendar days earlier. "24 h before" a 9:00 am appointment is 9:00 am the day before,
 *   even when a daylight-saving change lies between (then it is 23 or 25 elapsed hours). If that local time
 *   does not exist on the earlier day (it falls in the hour skipped when clocks go forward), it is moved
 *   forward by the skipped time (2:30 am → 3:30 am); if it occurs twice (clocks go back), the first
 *   occurrence is used, so the reminder is never later than the patient would read it.
 * - Anything else ("2 h", "90 min") is elapsed time: exactly that many minutes before the start, whatever
 *   the clocks do, as a patient counting down would expect.
 */
export function dueInstant(start: Date, offsetMinutes: number, timeZone: string): Date {
  if (offsetMinutes % MINUTES_PER_DAY !== 0) return new Date(start.getTime() - offsetMinutes * 60_000);
  const wall = DateTime.fromJSDate(start, { zone: timeZone }).minus({
    days: offsetMinutes / MINUTES_PER_DAY,
  });
  // luxon keeps the time of day and moves a time in a gap forward; an ambiguous time it may resolve to
  // either occurrence, so every offset in force around it is tried and the earliest match wins.
  const wallAsUtc = DateTime.fromObject(
    {
      year: wall.year,
      month: wall.month,
      day: wall.day,
      hour: wall.hour,
      minute: wall.minute,
      second: wall.second,
    },
    { zone: 'UTC' },
  ).toMillis();
  const zone = IANAZone.create(timeZone);
  const offsets = new Set([-AROUND_MS, 0, AROUND_MS].map((d) => zone.offset(wall.toMillis() + d)));
  const matches = [...offsets]
    .map((offset) => wallAsUtc - offset * 60_000)
    .filter((instant) => zone.offset(instant) * 60_000 === wallAsUtc - instant);
  return new Date(matches.length > 0 ? Math.min(...matches) : wall.toMillis());
}
