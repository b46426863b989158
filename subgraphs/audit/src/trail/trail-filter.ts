import { appError } from '@clinic/contracts';
import type { QueryAuditTrailArgs } from '../generated/graphql';
import type { Prisma } from '../generated/prisma/client';

/** auditTrail's filters as a Prisma condition: every filter given must hold. */
export function auditTrailFilter(args: Omit<QueryAuditTrailArgs, 'first'>): Prisma.AuditEntryWhereInput {
  if (args.before != null && !/^[1-9]\d{0,18}$/.test(args.before)) {
    throw appError('BAD_USER_INPUT', 'before must be an entry sequence, e.g. "120".');
  }
  if (args.occurredFrom && args.occurredTo && args.occurredFrom >= args.occurredTo) {
    throw appError('BAD_USER_INPUT', 'occurredFrom must be before occurredTo.');
  }
  const occurredAt =
    args.occurredFrom || args.occurredTo
      ? {
          ...(args.occurredFrom ? { gte: args.occurredFrom } : {}),
          ...(args.occurredTo ? { lt: args.occurredTo } : {}),
        }
      : undefined;
  return {
    ...(args.correlationId != null ? { correlationId: args.correlationId } : {}),
    ...(args.actorRole != null ? { actorRole: args.actorRole } : {}),
    ...(args.actorSubject != null ? { actorSubject: args.actorSubject } : {}),
    ...(args.subjectType != null ? { subjectType: args.subjectType } : {}),
    ...(args.subjectId != null ? { subjectId: args.subjectId } : {}),
    ...(occurredAt ? { occurredAt } : {}),
    ...(args.before != null ? { sequence: { lt: BigInt(args.before) } } : {}),
  };
}
