import fc from 'fast-check';
import { checkWish, ENTRIES_PER_PATIENT, MAX_WINDOW_DAYS, minuteOfDay, timeOfDay } from './limits';

const NOW = new Date('2026-12-05T01:00:00Z'); // 12:00 in Sydney, 09:00 in Perth
const wish = (overrides: Record<string, string | null> = {}) =>
  checkWish(
    { fromDate: '2026-12-05', toDate: '2026-12-20', timeZone: 'Australia/Sydney', ...overrides },
    NOW,
  );
const field = (outcome: ReturnType<typeof checkWish>) => ('field' in outcome ? outcome.field : null);

describe('a waitlist wish', () => {
  it('is accepted just inside each limit', () => {
    expect(field(wish({ toDate: '2027-02-03' }))).toBeNull(); // fromDate + 60 days
    expect(field(wish({ toDate: '2026-12-05' }))).toBeNull(); // one day
    expect(field(wish({ earliestStart: '00:00', latestStart: '23:59' }))).toBeNull();
    expect(field(wish({ earliestStart: '09:30', latestStart: '09:30' }))).toBeNull();
    expect(MAX_WINDOW_DAYS).toBe(60);
    expect(ENTRIES_PER_PATIENT).toBe(5);
  });

  it('is refused one past each limit, naming the field', () => {
    expect(field(wish({ toDate: '2027-02-04' }))).toBe('toDate');
    expect(field(wish({ fromDate: '2026-12-04' }))).toBe('fromDate');
    expect(field(wish({ toDate: '2026-12-04' }))).toBe('toDate');
    expect(field(wish({ fromDate: '2027-12-07', toDate: '2027-12-08' }))).toBe('fromDate');
    expect(field(wish({ earliestStart: '24:00' }))).toBe('earliestStart');
    expect(field(wish({ latestStart: '9:30' }))).toBe('latestStart');
    expect(field(wish({ earliestStart: '10:00', latestStart: '09:59' }))).toBe('latestStart');
    expect(field(wish({ timeZone: 'Mars/Olympus' }))).toBe('timeZone');
    expect(field(wish({ fromDate: '2026-13-01' }))).toBe('fromDate');
  });

  it("counts today in the clinic's zone, not the server's", () => {
    // 2026-12-05T01:00Z is already the 5th in Sydney and still the 5th in Perth; the 4th is past in both.
    expect(field(wish({ timeZone: 'Australia/Perth', fromDate: '2026-12-05' }))).toBeNull();
    const lateUtc = new Date('2026-12-04T20:00:00Z'); // 07:00 on the 5th in Sydney, 04:00 in Perth
    expect(
      field(
        checkWish({ fromDate: '2026-12-04', toDate: '2026-12-06', timeZone: 'Australia/Sydney' }, lateUtc),
      ),
    ).toBe('fromDate');
  });

  it('never echoes what was sent into its message', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 3 }),
        fc.constantFrom('fromDate', 'toDate', 'timeZone', 'earliestStart', 'latestStart'),
        (text, key) => {
          const canary = `CANARY${text}`;
          const outcome = wish({ [key]: canary });
          expect(JSON.stringify(outcome)).not.toContain(canary);
        },
      ),
    );
  });

  it('reads and writes times of day both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), (minute) => {
        expect(minuteOfDay(timeOfDay(minute))).toBe(minute);
      }),
    );
    expect(minuteOfDay(null)).toBeNull();
    expect(minuteOfDay('7:00')).toBeUndefined();
  });
});
