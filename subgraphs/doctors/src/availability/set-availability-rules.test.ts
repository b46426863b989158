import { validateRules } from './set-availability-rules';

const rule = { weekday: 1, startLocal: '09:00', endLocal: '17:00', slotMinutes: 30 };

describe('validateRules', () => {
  it('accepts rules on different days, and on one day when they do not overlap', () => {
    expect(
      validateRules([
        rule,
        { ...rule, weekday: 2 },
        { ...rule, weekday: 3, startLocal: '17:00', endLocal: '18:00' },
      ]),
    ).toHaveLength(3);
    expect(
      validateRules([
        { ...rule, endLocal: '12:00' },
        { ...rule, startLocal: '12:00' },
      ]),
    ).toHaveLength(2);
  });

  it('accepts overlapping hours when their validity dates do not overlap', () => {
    expect(
      validateRules([
        { ...rule, validUntil: '2026-12-31' },
        { ...rule, startLocal: '08:00', validFrom: '2027-01-01' },
      ]),
    ).toHaveLength(2);
  });

  it.each([
    ['weekday 0', { ...rule, weekday: 0 }, 'rules.0.weekday'],
    ['a time without a leading zero', { ...rule, startLocal: '9:00' }, 'rules.0.startLocal'],
    ['24:00', { ...rule, endLocal: '24:00' }, 'rules.0.endLocal'],
    ['a start equal to the end', { ...rule, endLocal: '09:00' }, 'rules.0.endLocal'],
    ['slots of 241 minutes', { ...rule, endLocal: '13:01', slotMinutes: 241 }, 'rules.0.slotMinutes'],
    ['slots of 45 minutes in 8 hours', { ...rule, slotMinutes: 45 }, 'rules.0.slotMinutes'],
    ['an impossible date', { ...rule, validFrom: '2026-02-30' }, 'rules.0.validFrom'],
    [
      'validity ending before it starts',
      { ...rule, validFrom: '2027-01-02', validUntil: '2027-01-01' },
      'rules.0.validUntil',
    ],
  ])('rejects %s', (_name, bad, field) => {
    expect(validateRules([bad])).toMatchObject({ __typename: 'InvalidInput', field });
  });

  it('names the later of two overlapping rules', () => {
    expect(validateRules([rule, { ...rule, weekday: 2 }, { ...rule, startLocal: '16:00' }])).toMatchObject({
      field: 'rules.2.startLocal',
      message: 'This rule overlaps rule 0.',
    });
  });

  it('refuses more than 100 rules', () => {
    expect(validateRules(Array.from({ length: 101 }, () => rule))).toMatchObject({ field: 'rules' });
  });
});
