/** The five roles of the product; what each may do is the policy table (policy-table.ts). */
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

export const STAFF_ROLES: readonly Role[] = [
  'Doctor',
  'ClinicAdmin',
  'PracticeManager',
  'SystemAdministrator',
];
