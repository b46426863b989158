import { randomUUID } from 'node:crypto';
import { parsePracticeGroups } from './practice-groups';

describe('practice groups (REASSIGNMENT_GROUPS)', () => {
  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];

  it('keeps every clinic alone by default', () => {
    const groups = parsePracticeGroups(undefined);
    expect(groups.of(a)).toEqual([a]);
    expect(groups.clinicIds).toEqual([]);
  });

  it("lists a clinic's own id first, then the others of its group", () => {
    const groups = parsePracticeGroups(JSON.stringify([[a, b], [c]]));
    expect(groups.of(b)).toEqual([b, a]);
    expect(groups.of(c)).toEqual([c]);
    expect(groups.of(randomUUID())).toHaveLength(1);
    expect(groups.keys[groups.clinicIds.indexOf(a)]).toBe(groups.keys[groups.clinicIds.indexOf(b)]);
    expect(groups.keys[groups.clinicIds.indexOf(a)]).not.toBe(groups.keys[groups.clinicIds.indexOf(c)]);
  });

  it.each([
    ['not JSON', '[['],
    ['not an array of arrays', JSON.stringify([a])],
    ['an empty group', JSON.stringify([[]])],
    ['a clinic in two groups', JSON.stringify([[a], [a, b]])],
    ['something that is no clinic id', JSON.stringify([['../../etc/passwd']])],
  ])('refuses %s with a message that repeats none of it', (_case, value) => {
    expect(() => parsePracticeGroups(value)).toThrow(/^REASSIGNMENT_GROUPS must be/);
    try {
      parsePracticeGroups(value);
    } catch (error) {
      expect(String(error)).not.toContain('etc/passwd');
    }
  });
});
