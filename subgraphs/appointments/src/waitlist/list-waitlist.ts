import { appError } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import { visibleWaitlist } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { WaitlistEntry } from '../generated/prisma/client';
import { ENTRIES_PER_PATIENT, stillWaiting, windowCutoff } from './limits';

const MAX_PAGE = 200;

/** The signed-in patient's active entries whose window has not passed, oldest first. */
export async function myWaitlist(context: AppointmentsContext): Promise<WaitlistEntry[]> {
  if (context.identity?.role !== 'Patient') {
    if (!context.identity) throw appError('UNAUTHENTICATED', 'Sign in to see your waitlist.');
    throw appError('FORBIDDEN', 'Only patients have their own waitlist.');
  }
  const now = new Date();
  // Entries ended in the last day or so (before windowCutoff catches them) are read and dropped here,
  // so read more than the limit: those never counted toward it.
  const rows = await context.db.waitlistEntry.findMany({
    where: {
      AND: [
        visibleWaitlist(context.identity, null),
        { status: 'active', toDate: { gte: windowCutoff(now) } },
      ],
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: MAX_PAGE,
  });
  return stillWaiting(rows, now).slice(0, ENTRIES_PER_PATIENT);
}

/**
 * A clinic's active line in order (the order offers follow), without entries whose window has passed.
 * Those are left out by index up to the last day anywhere (windowCutoff), then in the entry's own zone:
 * in the day after an entry's window a page can hold fewer than `first`.
 */
export async function clinicWaitlist(
  context: AppointmentsContext,
  clinicId: string | null | undefined,
  first: number | null | undefined,
): Promise<WaitlistEntry[]> {
  const take = first ?? 50;
  if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) {
    throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`);
  }
  if (clinicId != null && !isUuid(clinicId)) throw appError('BAD_USER_INPUT', 'clinicId is not a valid id.');
  if (context.identity?.role === 'Patient') throw appError('FORBIDDEN', 'This list is for clinic staff.');
  const now = new Date();
  const rows = await context.db.waitlistEntry.findMany({
    where: {
      AND: [
        visibleWaitlist(context.identity, clinicId),
        { status: 'active', toDate: { gte: windowCutoff(now) } },
      ],
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take,
  });
  return stillWaiting(rows, now);
}
