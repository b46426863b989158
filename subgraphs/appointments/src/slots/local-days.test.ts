import { checkZone, DEFAULT_TIME_ZONE, localDays } from './local-days';

describe('checkZone (valid zones remembered)', () => {
  it('answers a valid zone the same the first time and every time after', () => {
    for (let i = 0; i < 3; i++) expect(checkZone('Australia/Perth')).toBe('Australia/Perth');
    expect(checkZone(null)).toBe(DEFAULT_TIME_ZONE);
    expect(checkZone(undefined)).toBe(DEFAULT_TIME_ZONE);
  });

  it('refuses an unknown zone every time, also after valid ones were remembered', () => {
    checkZone('Australia/Sydney');
    for (let i = 0; i < 2; i++)
      expect(() => checkZone('Australia/Atlantis')).toThrow(/not an IANA time zone/);
  });

  it('gives the same local days with a remembered zone', () => {
    const first = localDays('2026-10-04', '2026-10-04', 'Australia/Sydney');
    const again = localDays('2026-10-04', '2026-10-04', 'Australia/Sydney');
    expect(again).toEqual(first);
    // The day DST starts in Sydney is 23 hours long.
    expect(first.to.getTime() - first.from.getTime()).toBe(23 * 3_600_000);
  });

  it('refuses a bad range every time, and answers fresh dates for a remembered one', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => localDays('2026-12-10', '2026-12-01', 'Australia/Perth')).toThrow(/not be before/);
      expect(() => localDays('2026-12-01', '2027-01-01', 'Australia/Perth')).toThrow(/at most 31 days/);
      expect(() => localDays('2026-12-1', '2026-12-02', 'Australia/Perth')).toThrow(/fromDate must be/);
    }
    const first = localDays('2026-12-01', '2026-12-31', 'Australia/Perth');
    first.from.setTime(0);
    const again = localDays('2026-12-01', '2026-12-31', 'Australia/Perth');
    expect(again.from.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(again.to.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(localDays('2026-12-01', '2026-12-31', 'Australia/Adelaide').from.toISOString()).toBe(
      '2026-11-30T13:30:00.000Z',
    );
  });
});
