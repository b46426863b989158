import { appError } from '@clinic/contracts';
import { isUuid, metrics } from '@clinic/platform';
import type { AuditChainProblem, Resolvers } from '../generated/graphql';
import { auditTrailFilter } from './trail-filter';
import { verifyChain } from './verify-chain';
import { readableTrail, requireChainVerifier } from '../access/access';

const MAX_PAGE = 500;

export const trailResolvers: Resolvers = {
  Query: {
    auditTrail: (_root, args, { db, identity }) => {
      const take = args.first ?? 100;
      if (!Number.isInteger(take) || take < 1 || take > MAX_PAGE) {
        throw appError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`);
      }
      return db.auditEntry.findMany({
        where: { AND: [readableTrail(identity), auditTrailFilter(args)] },
        orderBy: { sequence: 'desc' },
        take,
      });
    },
    verifyAuditChain: async (_root, { from }, { db, identity, checkpoints }) => {
      requireChainVerifier(identity);
      if (from != null && !/^[1-9]\d{0,18}$/.test(from)) {
        throw appError('BAD_USER_INPUT', 'from must be an entry sequence, e.g. "1".');
      }
      const result = await verifyChain(db, {
        from: from == null ? undefined : BigInt(from),
        checkpoints: checkpoints ? await checkpoints.readAll() : [],
      });
      metrics.auditVerifications.inc({ service: 'audit', outcome: result.ok ? 'ok' : 'broken' });
      return {
        ok: result.ok,
        checkedRows: result.checkedRows,
        checkpointsChecked: result.checkpointsChecked,
        head: result.head && { sequence: result.head.sequence.toString(), hash: result.head.hash },
        firstBadRow: result.firstBadRow && {
          sequence: result.firstBadRow.sequence.toString(),
          id: result.firstBadRow.id,
          problem: result.firstBadRow.problem.toUpperCase() as AuditChainProblem,
          detail: result.firstBadRow.detail,
        },
      };
    },
  },
  AuditEntry: {
    __resolveReference: async (reference, { db, identity }) =>
      isUuid(reference.id)
        ? db.auditEntry.findFirst({ where: { AND: [readableTrail(identity), { id: reference.id }] } })
        : null,
    sequence: (entry) => entry.sequence.toString(),
  },
  Appointment: {
    history: (appointment, _args, { loaders }) => loaders.historyByAppointment.load(appointment.id),
  },
};
