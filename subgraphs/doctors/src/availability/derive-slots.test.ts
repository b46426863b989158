import { DateTime } from 'luxon';
import { deriveSlots, type WeeklyRule } from './derive-slots';

const everyDay = (startLocal: string, endLocal: string, slotMinutes: number): WeeklyRule[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startLocal, endLocal, slotMinutes }));

/** The UTC start instants of the slots in [from, to), as ISO strings. */
function starts(timeZone: string, rules: WeeklyRule[], from: string, to: string): string[] {
  return deriveSlots({
    rules,
    exceptions: [],
    timeZone,
    windowStart: new Date(from),
    windowEnd: new Date(to),
  }).map((slot) => slot.start.toISOString());
}

/** The first slot of each local day under a 09:00-17:00 rule, as UTC instants. */
function firstSlotOfEachDay(timeZone: string, from: string, to: string): string[] {
  const all = deriveSlots({
    rules: everyDay('09:00', '17:00', 60),
    exceptions: [],
    timeZone,
    windowStart: new Date(from),
    windowEnd: new Date(to),
  });
  const firstByDate = new Map<string, string>();
  for (const slot of all) {
    const date = DateTime.fromJSDate(slot.start, { zone: timeZone }).toISODate() ?? '';
    if (!firstByDate.has(date)) firstByDate.set(date, slot.start.toISOString());
  }
  return [...firstByDate.values()];
}

describe('the transition dates this suite relies on', () => {
  it.each([
    ['2026-10-04', 'Australia/Sydney', 600, 660],
    ['2026-04-05', 'Australia/Sydney', 660, 600],
    ['2026-10-04', 'Australia/Adelaide', 570, 630],
    ['2026-04-05', 'Australia/Adelaide', 630, 570],
  ])('%s in %s changes the offset from %i to %i minutes', (date, zone, before, after) => {
    const day = DateTime.fromISO(date, { zone });
    expect(day.weekday).toBe(7); // the first Sunday of the month
    expect(day.day).toBeLessThanOrEqual(7);
    expect(day.offset).toBe(before);
    expect(day.plus({ days: 1 }).offset).toBe(after);
  });
});

describe('deriveSlots keeps 09:00 local across daylight-saving changes', () => {
  it('Sydney, first Sunday of October (AEST +10 to AEDT +11)', () => {
    expect(firstSlotOfEachDay('Australia/Sydney', '2026-10-02T12:00:00Z', '2026-10-05T12:00:00Z')).toEqual([
      '2026-10-02T23:00:00.000Z', // Sat 3 Oct 09:00 +10
      '2026-10-03T22:00:00.000Z', // Sun 4 Oct 09:00 +11
      '2026-10-04T22:00:00.000Z', // Mon 5 Oct 09:00 +11
    ]);
  });

  it('Sydney, first Sunday of April (AEDT +11 to AEST +10)', () => {
    expect(firstSlotOfEachDay('Australia/Sydney', '2026-04-03T12:00:00Z', '2026-04-06T12:00:00Z')).toEqual([
      '2026-04-03T22:00:00.000Z', // Sat 4 Apr 09:00 +11
      '2026-04-04T23:00:00.000Z', // Sun 5 Apr 09:00 +10
      '2026-04-05T23:00:00.000Z', // Mon 6 Apr 09:00 +10
    ]);
  });

  it('Brisbane is unchanged on both dates (AEST +10 all year)', () => {
    expect(firstSlotOfEachDay('Australia/Brisbane', '2026-10-02T12:00:00Z', '2026-10-05T12:00:00Z')).toEqual([
      '2026-10-02T23:00:00.000Z',
      '2026-10-03T23:00:00.000Z',
      '2026-10-04T23:00:00.000Z',
    ]);
    expect(firstSlotOfEachDay('Australia/Brisbane', '2026-04-03T12:00:00Z', '2026-04-06T12:00:00Z')).toEqual([
      '2026-04-03T23:00:00.000Z',
      '2026-04-04T23:00:00.000Z',
      '2026-04-05T23:00:00.000Z',
    ]);
  });

  it('Perth is unchanged on both dates (AWST +8 all year)', () => {
    expect(firstSlotOfEachDay('Australia/Perth', '2026-10-02T12:00:00Z', '2026-10-05T12:00:00Z')).toEqual([
      '2026-10-03T01:00:00.000Z',
      '2026-10-04T01:00:00.000Z',
      '2026-10-05T01:00:00.000Z',
    ]);
  });

  it("Adelaide's half hour: ACST +9:30 to ACDT +10:30 in October", () => {
    expect(firstSlotOfEachDay('Australia/Adelaide', '2026-10-02T12:00:00Z', '2026-10-05T12:00:00Z')).toEqual([
      '2026-10-02T23:30:00.000Z',
      '2026-10-03T22:30:00.000Z',
      '2026-10-04T22:30:00.000Z',
    ]);
  });

  it("Adelaide's half hour: ACDT +10:30 to ACST +9:30 in April", () => {
    expect(firstSlotOfEachDay('Australia/Adelaide', '2026-04-03T12:00:00Z', '2026-04-06T12:00:00Z')).toEqual([
      '2026-04-03T22:30:00.000Z',
      '2026-04-04T23:30:00.000Z',
      '2026-04-05T23:30:00.000Z',
    ]);
  });

  it('yields the whole 09:00-17:00 day on the change day: 16 half-hour slots ending at 17:00 local', () => {
    const slots = deriveSlots({
      rules: [{ weekday: 7, startLocal: '09:00', endLocal: '17:00', slotMinutes: 30 }],
      exceptions: [],
      timeZone: 'Australia/Sydney',
      windowStart: new Date('2026-10-03T00:00:00Z'),
      windowEnd: new Date('2026-10-05T00:00:00Z'),
    });
    expect(slots).toHaveLength(16);
    expect(slots[0]?.start.toISOString()).toBe('2026-10-03T22:00:00.000Z');
    expect(slots.at(-1)?.end.toISOString()).toBe('2026-10-04T06:00:00.000Z'); // 17:00 +11
  });
});

describe('deriveSlots inside the changing hour', () => {
  const night: WeeklyRule[] = [{ weekday: 7, startLocal: '01:00', endLocal: '04:00', slotMinutes: 30 }];

  it('skips the local times that do not exist when Sydney springs forward (02:00-03:00)', () => {
    expect(starts('Australia/Sydney', night, '2026-10-03T00:00:00Z', '2026-10-04T00:00:00Z')).toEqual([
      '2026-10-03T15:00:00.000Z', // 01:00 +10
      '2026-10-03T15:30:00.000Z', // 01:30 +10
      '2026-10-03T16:00:00.000Z', // 03:00 +11
      '2026-10-03T16:30:00.000Z', // 03:30 +11
    ]);
  });

  it('gives each wall time of the repeated autumn hour one slot, not two', () => {
    expect(starts('Australia/Sydney', night, '2026-04-04T00:00:00Z', '2026-04-05T00:00:00Z')).toEqual([
      '2026-04-04T14:00:00.000Z', // 01:00 +11
      '2026-04-04T14:30:00.000Z', // 01:30 +11
      '2026-04-04T15:00:00.000Z', // 02:00 +11 (first occurrence)
      '2026-04-04T15:30:00.000Z', // 02:30 +11
      '2026-04-04T17:00:00.000Z', // 03:00 +10
      '2026-04-04T17:30:00.000Z', // 03:30 +10
    ]);
  });
});

describe('deriveSlots rules, exceptions and windows', () => {
  const monday: WeeklyRule[] = [{ weekday: 1, startLocal: '09:00', endLocal: '12:00', slotMinutes: 60 }];

  it('leaves out slots that overlap an exception (a blocked morning), keeping the rest', () => {
    const slots = deriveSlots({
      rules: monday,
      exceptions: [{ startsAt: new Date('2026-12-06T22:30:00Z'), endsAt: new Date('2026-12-07T00:00:00Z') }],
      timeZone: 'Australia/Sydney',
      windowStart: new Date('2026-12-06T00:00:00Z'),
      windowEnd: new Date('2026-12-08T00:00:00Z'),
    });
    // Mon 7 Dec 09:00 +11 = 22:00Z; the 09:00 and 10:00 slots touch the exception, 11:00 does not.
    expect(slots.map((slot) => slot.start.toISOString())).toEqual(['2026-12-07T00:00:00.000Z']);
  });

  it('honours validFrom and validUntil as local dates, and returns only starts inside the window', () => {
    const rules: WeeklyRule[] = [{ ...monday[0]!, validFrom: '2026-12-14', validUntil: '2026-12-21' }];
    const found = starts('Australia/Sydney', rules, '2026-12-06T22:30:00Z', '2026-12-28T00:00:00Z');
    expect(found).toEqual([
      '2026-12-13T22:00:00.000Z',
      '2026-12-13T23:00:00.000Z',
      '2026-12-14T00:00:00.000Z',
      '2026-12-20T22:00:00.000Z',
      '2026-12-20T23:00:00.000Z',
      '2026-12-21T00:00:00.000Z',
    ]);
    expect(starts('Australia/Sydney', monday, '2026-12-06T22:30:00Z', '2026-12-07T00:00:00Z')).toEqual([
      '2026-12-06T23:00:00.000Z',
    ]);
  });

  it('rejects an unknown time zone', () => {
    expect(() =>
      starts('Australia/Atlantis', monday, '2026-12-06T00:00:00Z', '2026-12-08T00:00:00Z'),
    ).toThrow(RangeError);
  });
});

describe('deriveSlots on steady days (arithmetic) agrees with luxon for every wall time', () => {
  it.each(['Australia/Sydney', 'Australia/Adelaide', 'Australia/Lord_Howe', 'Australia/Brisbane'])(
    'every hour of every day of 2026 in %s',
    (timeZone) => {
      const expected: string[] = [];
      for (
        let day = DateTime.fromISO('2026-01-01', { zone: timeZone });
        day.year === 2026;
        day = day.plus({ days: 1 })
      ) {
        for (let hour = 0; hour < 23; hour++) {
          const wall = DateTime.fromObject(
            { year: day.year, month: day.month, day: day.day, hour },
            { zone: timeZone },
          );
          if (wall.hour === hour && wall.minute === 0) expected.push(wall.toUTC().toISO() ?? '');
        }
      }
      const found = starts(
        timeZone,
        everyDay('00:00', '23:00', 60),
        DateTime.fromISO('2026-01-01', { zone: timeZone }).toUTC().toISO() ?? '',
        DateTime.fromISO('2027-01-01', { zone: timeZone }).toUTC().toISO() ?? '',
      );
      expect(found).toEqual(expected);
    },
  );
});
