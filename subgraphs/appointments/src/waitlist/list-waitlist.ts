import { appError } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import { visibleWaitlist } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { WaitlistEntry } from '../generated/prisma/client';
import { ENTRIES_PER_PATIENT } from './limits';

const MAX_PAGE = 200;

/** The signed-in patient's active entries, oldest first. */
export async function myWaitlist(context: AppointmentsContext): Promise<WaitlistEntry[]> {
  if (context.identity?.role !== 'Patient') {
    if (!context.identity) throw appError('UNAUTHENTICATED', 'Sign in to see your waitlist.');
    throw appError('FORBIDDEN', 'Only patients have their own waitlist.');
  }
  return context.db.waitlistEntry.findMany({
    where: { AND: [visibleWaitlist(context.identity, null), { status: 'active' }] },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: ENTRIES_PER_PATIENT,
  });
}

/** A clinic's active line in order: the order offers follow in sequential mode. */
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
  return context.db.waitlistEntry.findMany({
    where: { AND: [visibleWaitlist(context.identity, clinicId), { status: 'active' }] },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take,
  });
}
