import { isUuid } from '@clinic/platform';

/**
 * Which clinics an appointment may be moved between when its doctor becomes unavailable: its own clinic,
 * and the clinics the practice groups with it. A patient can only be sent where they can get to, so by
 * default every clinic stands alone.
 */
export interface PracticeGroups {
  /** The clinics an appointment at `clinicId` may move to, its own first. */
  of(clinicId: string): string[];
  /** Every grouped clinic with its group's key, for SQL that pairs within groups (others key as themselves). */
  readonly clinicIds: string[];
  readonly keys: string[];
}

export const SOLO_PRACTICES: PracticeGroups = practiceGroups([]);

export function practiceGroups(groups: readonly (readonly string[])[]): PracticeGroups {
  const groupOf = new Map<string, readonly string[]>();
  groups.forEach((group) => group.forEach((clinicId) => groupOf.set(clinicId, group)));
  const entries = [...groupOf.entries()];
  return {
    of: (clinicId) => [clinicId, ...(groupOf.get(clinicId) ?? []).filter((other) => other !== clinicId)],
    clinicIds: entries.map(([clinicId]) => clinicId),
    keys: entries.map(([, group]) => `group:${groups.indexOf(group)}`),
  };
}

/**
 * REASSIGNMENT_GROUPS: a JSON array of groups, each an array of clinic ids, e.g.
 * `[["<clinic id>", "<clinic id>"]]`; a clinic belongs to one group at most. Unset: every clinic alone.
 */
export function parsePracticeGroups(value: string | undefined): PracticeGroups {
  if (value === undefined || value.trim() === '') return SOLO_PRACTICES;
  const fail = (): never => {
    throw new Error(
      'REASSIGNMENT_GROUPS must be a JSON array of arrays of clinic ids, each clinic in one group at most.',
    );
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return fail();
  }
  if (!Array.isArray(parsed)) return fail();
  const seen = new Set<string>();
  const groups = parsed.map((group: unknown) => {
    if (!Array.isArray(group) || group.length === 0) return fail();
    return group.map((clinicId: unknown) => {
      if (typeof clinicId !== 'string' || !isUuid(clinicId) || seen.has(clinicId)) return fail();
      seen.add(clinicId);
      return clinicId;
    });
  });
  return practiceGroups(groups);
}
