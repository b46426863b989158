import { chunkWindow, horizonEnd } from './publish-availability';

const at = (iso: string) => new Date(iso);

describe('horizonEnd', () => {
  it('is midnight UTC the given number of days after today, whatever the time of day', () => {
    expect(horizonEnd(at('2026-11-25T00:00:00Z'), 60).toISOString()).toBe('2027-01-24T00:00:00.000Z');
    expect(horizonEnd(at('2026-11-25T23:59:59Z'), 60).toISOString()).toBe('2027-01-24T00:00:00.000Z');
  });
});

describe('chunkWindow', () => {
  const window = { start: at('2026-12-01T00:00:00Z'), end: at('2026-12-02T00:00:00Z') };
  const slots = [0, 1, 2, 3, 4].map((hour) => ({
    start: at(`2026-12-01T0${hour}:00:00Z`),
    end: at(`2026-12-01T0${hour}:30:00Z`),
  }));

  it('keeps one part when the slots fit', () => {
    expect(chunkWindow(slots, window, 5)).toEqual([{ window, slots }]);
  });

  it('gives an empty window one part with no slots', () => {
    expect(chunkWindow([], window)).toEqual([{ window, slots: [] }]);
  });

  it('splits at the start of the first slot of each next part, so the windows tile the whole', () => {
    const parts = chunkWindow(slots, window, 2);
    expect(parts.map((part) => [part.window.start.toISOString(), part.window.end.toISOString()])).toEqual([
      ['2026-12-01T00:00:00.000Z', '2026-12-01T02:00:00.000Z'],
      ['2026-12-01T02:00:00.000Z', '2026-12-01T04:00:00.000Z'],
      ['2026-12-01T04:00:00.000Z', '2026-12-02T00:00:00.000Z'],
    ]);
    expect(parts.flatMap((part) => part.slots)).toEqual(slots);
  });
});
