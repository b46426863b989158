import fc from 'fast-check';
import { DateTime } from 'luxon';
import { dueInstant } from './due-instant';

const ZONES = [
  'Australia/Sydney',
  'Australia/Brisbane',
  'Australia/Adelaide',
  'Australia/Perth',
  'Australia/Lord_Howe',
];
const at = (iso: string) => new Date(iso);
const wall = (instant: Date, zone: string) =>
  DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm');

describe('dueInstant', () => {
  it('counts whole days on the clinic wall clock across the April 2027 change (25 elapsed hours)', () => {
    // Sydney's clocks go back at 3:00 am on Sunday 4 April 2027.
    const start = at('2027-04-05T09:00:00+10:00');
    const due = dueInstant(start, 1440, 'Australia/Sydney');
    expect(wall(due, 'Australia/Sydney')).toBe('2027-04-04 09:00');
    expect(start.getTime() - due.getTime()).toBe(24 * 3_600_000);
    const overChange = dueInstant(at('2027-04-04T09:00:00+10:00'), 1440, 'Australia/Sydney');
    expect(wall(overChange, 'Australia/Sydney')).toBe('2027-04-03 09:00');
    expect(at('2027-04-04T09:00:00+10:00').getTime() - overChange.getTime()).toBe(25 * 3_600_000);
    // Adelaide changes the same night; Brisbane and Perth have no daylight saving (24 h exactly).
    const adelaide = dueInstant(at('2027-04-04T09:00:00+09:30'), 1440, 'Australia/Adelaide');
    expect(wall(adelaide, 'Australia/Adelaide')).toBe('2027-04-03 09:00');
    for (const zone of ['Australia/Brisbane', 'Australia/Perth']) {
      const start2 = at('2027-04-04T09:00:00Z');
      expect(start2.getTime() - dueInstant(start2, 1440, zone).getTime()).toBe(24 * 3_600_000);
    }
  });

  it('counts 23 elapsed hours across the October change, and moves a skipped time forward', () => {
    // Sydney's clocks go forward at 2:00 am on Sunday 3 October 2027.
    const start = at('2027-10-03T09:00:00+11:00');
    const due = dueInstant(start, 1440, 'Australia/Sydney');
    expect(wall(due, 'Australia/Sydney')).toBe('2027-10-02 09:00');
    expect(start.getTime() - due.getTime()).toBe(23 * 3_600_000);
    // 2:30 am did not exist on 3 October 2027 in Sydney: 3:30 am instead.
    const skipped = dueInstant(at('2027-10-04T02:30:00+11:00'), 1440, 'Australia/Sydney');
    expect(wall(skipped, 'Australia/Sydney')).toBe('2027-10-03 03:30');
  });

  it('takes the first of a time that happened twice', () => {
    // 2:30 am happened twice on 4 April 2027 in Sydney: first at +11:00.
    const due = dueInstant(at('2027-04-05T02:30:00+10:00'), 1440, 'Australia/Sydney');
    expect(due.toISOString()).toBe('2027-04-03T15:30:00.000Z');
  });

  it('counts hours as elapsed time, whatever the clocks do', () => {
    const start = at('2027-04-04T03:30:00+10:00');
    expect(dueInstant(start, 120, 'Australia/Sydney').toISOString()).toBe('2027-04-03T15:30:00.000Z');
    expect(dueInstant(start, 90, 'Australia/Perth').getTime()).toBe(start.getTime() - 90 * 60_000);
  });

  it('property: whole days keep the wall-clock time (unless skipped) and land that many local days before', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2026-01-01T00:00:00Z'),
          max: new Date('2029-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1, max: 14 }),
        (start, zone, days) => {
          const due = dueInstant(start, days * 1440, zone);
          const local = DateTime.fromJSDate(start, { zone }).set({ second: 0, millisecond: 0 });
          const dueLocal = DateTime.fromJSDate(due, { zone });
          expect(dueLocal.toISODate()).toBe(local.minus({ days }).toISODate());
          // Either the same time of day or (in a gap) up to an hour later, never earlier.
          const minutes = (d: DateTime) => d.hour * 60 + d.minute;
          const shift = minutes(dueLocal) - minutes(local);
          expect(shift === 0 || (shift > 0 && shift <= 60)).toBe(true);
          // The first occurrence: half an hour or an hour earlier (Lord Howe moves by 30 min) the wall
          // clock did not show the same time.
          for (const back of [30, 60]) {
            const earlier = DateTime.fromMillis(due.getTime() - back * 60_000, { zone });
            expect(earlier.toFormat('yyyy-MM-dd HH:mm')).not.toBe(dueLocal.toFormat('yyyy-MM-dd HH:mm'));
          }
          expect(due.getTime()).toBeLessThan(start.getTime());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: other offsets are exactly that many minutes before', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2026-01-01T00:00:00Z'),
          max: new Date('2029-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 15, max: 20_160 }).filter((m) => m % 1440 !== 0),
        (start, zone, minutes) => {
          expect(dueInstant(start, minutes, zone).getTime()).toBe(start.getTime() - minutes * 60_000);
        },
      ),
    );
  });
});
