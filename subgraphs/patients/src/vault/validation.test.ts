import {
  hasValidLuhnDigit,
  isAdult,
  isValidIhi,
  normaliseAustralianPhone,
  normaliseEmail,
  validatePatientDetails,
  type PatientDetailsInput,
} from './validation';

const valid: PatientDetailsInput = {
  givenName: 'Jo',
  familyName: "O'Neill-Smith",
  dateOfBirth: '1990-05-17',
  email: ' Jo.ONeill@Example.com ',
  phone: '(02) 5550 1234',
  address: '1 Example Street, Surry Hills NSW 2010',
  ihi: '8003 6081 6669 0503',
};
const TODAY = '2026-11-25';

describe('Australian phone numbers to E.164', () => {
  it.each([
    ['(02) 5550 1234', '+61255501234'],
    ['02 5550 1234', '+61255501234'],
    ['+61 2 5550 1234', '+61255501234'],
    ['0491 570 156', '+61491570156'],
    ['+61491570156', '+61491570156'],
    ['0412-345-678', '+61412345678'],
    ['(08) 5550 1111', '+61855501111'],
  ])('%s becomes %s', (input, expected) => {
    expect(normaliseAustralianPhone(input)).toBe(expected);
  });

  it.each(['1234', '0055501234', '+1 202 555 0100', '+64 21 123 4567', 'not a number', ''])(
    'rejects %j',
    (input) => expect(normaliseAustralianPhone(input)).toBeNull(),
  );
});

describe('email', () => {
  it('trims and lower-cases', () => expect(normaliseEmail(' Jo@Example.COM ')).toBe('jo@example.com'));
  it.each(['jo', 'jo@', '@example.com', 'jo@@example.com', 'jo example@example.com'])('rejects %j', (input) =>
    expect(normaliseEmail(input)).toBeNull(),
  );
});

describe('Individual Healthcare Identifier', () => {
  it.each(['8003608166690503', '8003609900000009', '8003601234567894'])('accepts %s', (ihi) =>
    expect(isValidIhi(ihi)).toBe(true),
  );
  it('rejects a wrong check digit', () => {
    expect(hasValidLuhnDigit('8003608166690504')).toBe(false);
    expect(isValidIhi('8003608166690504')).toBe(false);
  });
  it('rejects another prefix even with a valid Luhn digit (a Medicare-style 800361… number)', () => {
    // 8003610000000006 passes Luhn but is not an IHI: IHIs start 800360.
    expect(hasValidLuhnDigit('8003610000000006')).toBe(true);
    expect(isValidIhi('8003610000000006')).toBe(false);
  });
  it('rejects 15 or 17 digits and non-digits', () => {
    expect(isValidIhi('800360816669050')).toBe(false);
    expect(isValidIhi('80036081666905030')).toBe(false);
    expect(isValidIhi('80036081666905O3')).toBe(false);
  });
});

describe('adults only', () => {
  it('accepts someone turning 18 today and rejects someone 17 for one more day', () => {
    expect(isAdult('2008-11-25', TODAY)).toBe(true);
    expect(isAdult('2008-11-26', TODAY)).toBe(false);
  });
  it('makes a 29 February baby 18 on 1 March of a common year', () => {
    expect(isAdult('2008-02-29', '2026-02-28')).toBe(false);
    expect(isAdult('2008-02-29', '2026-03-01')).toBe(true);
  });
});

describe('validatePatientDetails', () => {
  it('normalises a valid registration', () => {
    expect(validatePatientDetails(valid, TODAY)).toEqual({
      givenName: 'Jo',
      familyName: "O'Neill-Smith",
      dateOfBirth: '1990-05-17',
      email: 'jo.oneill@example.com',
      phone: '+61255501234',
      address: '1 Example Street, Surry Hills NSW 2010',
      ihi: '8003608166690503',
    });
  });

  it('treats the IHI as optional', () => {
    expect(validatePatientDetails({ ...valid, ihi: null }, TODAY)).toMatchObject({ ihi: null });
    expect(validatePatientDetails({ ...valid, ihi: '' }, TODAY)).toMatchObject({ ihi: null });
  });

  it('rejects a 17-year-old', () => {
    expect(validatePatientDetails({ ...valid, dateOfBirth: '2009-01-01' }, TODAY)).toEqual({
      field: 'dateOfBirth',
      message: 'Patients register themselves from age 18.',
    });
  });

  it.each([
    [{ dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
    [{ dateOfBirth: '17/05/1990' }, 'dateOfBirth'],
    [{ dateOfBirth: '2030-01-01' }, 'dateOfBirth'],
    [{ givenName: '  ' }, 'givenName'],
    [{ familyName: '<script>' }, 'familyName'],
    [{ email: 'nobody' }, 'email'],
    [{ phone: '+1 202 555 0100' }, 'phone'],
    [{ address: 'x' }, 'address'],
    [{ ihi: '8003608166690504' }, 'ihi'],
  ] as const)('rejects %j in %s', (change, field) => {
    expect(validatePatientDetails({ ...valid, ...change }, TODAY)).toMatchObject({ field });
  });
});
