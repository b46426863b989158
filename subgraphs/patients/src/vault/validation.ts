import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** A patient's personal details, validated and normalised: what the vault seals. */
export interface PatientDetails {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  /** Trimmed, lower case. */
  email: string;
  /** E.164, +61… */
  phone: string;
  address: string;
  /** Individual Healthcare Identifier: 16 digits, 800360…, valid Luhn check digit. */
  ihi: string | null;
}

export type PatientDetailsInput = Omit<PatientDetails, 'ihi'> & { ihi?: string | null };

export interface InvalidField {
  field: keyof PatientDetails;
  message: string;
}

export const ADULT_AGE = 18;
const IHI_PREFIX = '800360';
// Letters of any script, marks, spaces, apostrophes, hyphens and full stops: real names, no markup.
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;
const emailSchema = z.email();

/** Australian numbers only (mobile or landline), in any common spelling; returns E.164 or null. */
export function normaliseAustralianPhone(input: string): string | null {
  // libphonenumber-js with full metadata: it knows which AU ranges exist, not just lengths.
  const parsed = parsePhoneNumberFromString(input.trim(), 'AU');
  if (!parsed || parsed.country !== 'AU' || !parsed.isValid()) return null;
  return parsed.number;
}

export function normaliseEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  return email.length <= 254 && emailSchema.safeParse(email).success ? email : null;
}

/**
 * The Luhn (mod 10) check the IHI's 16th digit carries (AS 3523 / ISO 7812 card-number layout). Written
 * out: it is six lines, and no maintained package does only this.
 */
export function hasValidLuhnDigit(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export function isValidIhi(ihi: string): boolean {
  return /^\d{16}$/.test(ihi) && ihi.startsWith(IHI_PREFIX) && hasValidLuhnDigit(ihi);
}

/** Today's date in eastern Australia, where a birthday arrives first (YYYY-MM-DD). */
export function todayInAustralia(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(now);
}

function isRealDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return (
    parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day
  );
}

/** Whether someone born on `dateOfBirth` has turned `ADULT_AGE` by `today` (born 29 Feb: on 1 March). */
export function isAdult(dateOfBirth: string, today: string): boolean {
  const year = Number(dateOfBirth.slice(0, 4)) + ADULT_AGE;
  // Plain string order on YYYY-MM-DD: "2026-02-29" sorts after "2026-02-28", so a leap-day baby turns 18 on 1 March.
  return `${String(year).padStart(4, '0')}${dateOfBirth.slice(4)}` <= today;
}

/** Validates and normalises a registration; the first broken rule comes back as `{ field, message }`. */
export function validatePatientDetails(
  input: PatientDetailsInput,
  today = todayInAustralia(),
): PatientDetails | InvalidField {
  const invalid = (field: keyof PatientDetails, message: string): InvalidField => ({ field, message });
  const givenName = input.givenName.trim().normalize('NFC');
  const familyName = input.familyName.trim().normalize('NFC');
  for (const [field, name] of [
    ['givenName', givenName],
    ['familyName', familyName],
  ] as const) {
    if (name.length < 1 || name.length > 100 || !NAME.test(name)) {
      return invalid(field, 'Use 1 to 100 letters, spaces, hyphens or apostrophes.');
    }
  }
  const dateOfBirth = input.dateOfBirth.trim();
  if (!isRealDate(dateOfBirth) || dateOfBirth > today || dateOfBirth < '1900-01-01') {
    return invalid('dateOfBirth', 'Give a real date of birth as YYYY-MM-DD.');
  }
  if (!isAdult(dateOfBirth, today)) {
    return invalid('dateOfBirth', `Patients register themselves from age ${ADULT_AGE}.`);
  }
  const email = normaliseEmail(input.email);
  if (!email) return invalid('email', 'This is not an email address.');
  const phone = normaliseAustralianPhone(input.phone);
  if (!phone) return invalid('phone', 'Give an Australian mobile or landline number, e.g. 0412 345 678.');
  const address = input.address.trim().replace(/\s+/g, ' ');
  if (address.length < 5 || address.length > 300) {
    return invalid('address', 'Give a postal address of 5 to 300 characters.');
  }
  const ihiText = input.ihi?.replace(/[\s-]/g, '') ?? '';
  if (ihiText && !isValidIhi(ihiText)) {
    return invalid('ihi', 'An IHI is 16 digits starting 800360, with a valid check digit.');
  }
  return { givenName, familyName, dateOfBirth, email, phone, address, ihi: ihiText || null };
}

export function isInvalidField(value: PatientDetails | InvalidField): value is InvalidField {
  return 'message' in value;
}
