import { isUuid } from '@clinic/platform';
import { standardWeekRules } from './standard-week';

describe('standardWeekRules', () => {
  it('gives Monday to Friday 09:00-17:00 with stable, distinct UUID ids', () => {
    const doctorId = '6f1c0000-0000-4000-8000-000000000001';
    const rules = standardWeekRules(doctorId, 30);
    expect(rules.map((rule) => rule.weekday)).toEqual([1, 2, 3, 4, 5]);
    expect(rules.every((rule) => isUuid(rule.id))).toBe(true);
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(5);
    expect(standardWeekRules(doctorId, 30)).toEqual(rules);
    expect(rules[0]?.startLocal.toISOString()).toBe('1970-01-01T09:00:00.000Z');
  });
});
