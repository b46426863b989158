import fc from 'fast-check';
import { DateTime } from 'luxon';
import { checkInDateWindow, DATE_WINDOW_YEARS } from './date-window';

/** The rule as first written: luxon's calendar years either side of now, worked out on every call. */
function accepted(instant: Date, now: Date): boolean {
  const today = DateTime.fromJSDate(now, { zone: 'utc' });
  const earliest = today.minus({ years: DATE_WINDOW_YEARS }).toJSDate();
  const latest = today.plus({ years: DATE_WINDOW_YEARS }).toJSDate();
  return instant >= earliest && instant <= latest;
}

const accepts = (instant: Date, now: Date) => {
  try {
    checkInDateWindow('from', instant, now);
    return true;
  } catch {
    return false;
  }
};

describe('checkInDateWindow', () => {
  it('decides as luxon does at every instant, also a millisecond either side of each bound (property)', () => {
    const now = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z') });
    fc.assert(
      fc.property(now, fc.integer({ min: -1, max: 1 }), fc.boolean(), (at, nudge, late) => {
        const today = DateTime.fromJSDate(at, { zone: 'utc' });
        const bound = late
          ? today.plus({ years: DATE_WINDOW_YEARS })
          : today.minus({ years: DATE_WINDOW_YEARS });
        const instant = new Date(bound.toMillis() + nudge);
        expect(accepts(instant, at)).toBe(accepted(instant, at));
        expect(accepts(at, at)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps 29 February to the 28th two years on and back, and refuses an invalid date', () => {
    const leap = new Date('2028-02-29T10:00:00Z');
    expect(accepts(new Date('2026-02-28T10:00:00Z'), leap)).toBe(true);
    expect(accepts(new Date('2026-02-28T09:59:59.999Z'), leap)).toBe(false);
    expect(accepts(new Date('2030-02-28T10:00:00Z'), leap)).toBe(true);
    expect(accepts(new Date('2030-02-28T10:00:00.001Z'), leap)).toBe(false);
    expect(accepts(new Date(Number.NaN), leap)).toBe(false);
  });
});
