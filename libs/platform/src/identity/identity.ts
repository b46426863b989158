/** The five roles of the product; the full policy table arrives with the privacy and security issue. */
export const ROLES = ['Patient', 'Doctor', 'ClinicAdmin', 'PracticeManager', 'SystemAdministrator'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling, as verified by the gateway. For a Patient the subject is their pseudonymous clientId;
 * for staff it is their staff id, and clinicId scopes them to one clinic.
 */
export interface Identity {
  role: Role;
  subject: string;
  clinicId?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

const ROLE_HEADER = 'x-actor-role';
const SUBJECT_HEADER = 'x-actor-subject';
const CLINIC_HEADER = 'x-actor-clinic';

/** Headers the gateway sets on every subgraph request. */
export function identityToHeaders(identity: Identity | null): Record<string, string> {
  if (!identity) return {};
  const headers: Record<string, string> = {
    [ROLE_HEADER]: identity.role,
    [SUBJECT_HEADER]: identity.subject,
  };
  if (identity.clinicId) headers[CLINIC_HEADER] = identity.clinicId;
  return headers;
}

type HeaderBag = Record<string, string | string[] | undefined>;

/** Reads the identity the gateway forwarded; a missing or malformed one means an anonymous caller. */
export function identityFromHeaders(headers: HeaderBag): Identity | null {
  const first = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const role = first(ROLE_HEADER);
  const subject = first(SUBJECT_HEADER);
  if (!isRole(role) || !subject) return null;
  const clinicId = first(CLINIC_HEADER);
  return clinicId ? { role, subject, clinicId } : { role, subject };
}

export const STAFF_ROLES: readonly Role[] = [
  'Doctor',
  'ClinicAdmin',
  'PracticeManager',
  'SystemAdministrator',
];
