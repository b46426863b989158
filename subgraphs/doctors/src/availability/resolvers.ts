import { appError, type Identity } from '@clinic/contracts';
import { isUuid } from '@clinic/platform';
import { requireAvailabilityReader } from '../access/access';
import type { DoctorsContext } from '../context';
import type { Resolvers } from '../generated/graphql';
import { addAvailabilityException, toAvailabilityException } from './add-availability-exception';
import { DATE_WINDOW_YEARS, inDateWindow } from './date-window';
import { removeAvailabilityException } from './remove-availability-exception';
import { setAvailabilityRules, toAvailabilityRule } from './set-availability-rules';
import { setDoctorStatus } from './set-doctor-status';

/** The doctor whose availability the caller may read, or null when there is none with that id. */
async function readableDoctor(doctorId: string, { identity, loaders }: DoctorsContext) {
  if (!identity) throw appError('UNAUTHENTICATED', "Sign in to see a doctor's availability.");
  if (!isUuid(doctorId)) return null;
  const doctor = await loaders.doctor.load(doctorId);
  if (!doctor) return null;
  requireAvailabilityReader(identity as Identity, doctor);
  return doctor;
}

export const availabilityResolvers: Resolvers = {
  Query: {
    availabilityRules: async (_root, { doctorId }, context) => {
      const doctor = await readableDoctor(doctorId, context);
      if (!doctor) return [];
      const rows = await context.db.availabilityRule.findMany({
        where: { doctorId: doctor.id },
        orderBy: [{ weekday: 'asc' }, { startLocal: 'asc' }],
      });
      return rows.map(toAvailabilityRule);
    },
    availabilityExceptions: async (_root, { doctorId, from, to }, context) => {
      const doctor = await readableDoctor(doctorId, context);
      if (!doctor) return [];
      if (!(from < to)) throw appError('BAD_USER_INPUT', '`to` must be after `from`.');
      if (!inDateWindow(from) || !inDateWindow(to)) {
        throw appError(
          'BAD_USER_INPUT',
          `\`from\` and \`to\` must lie within ${DATE_WINDOW_YEARS} years of today.`,
        );
      }
      const rows = await context.db.availabilityException.findMany({
        where: { doctorId: doctor.id, startsAt: { lt: to }, endsAt: { gt: from } },
        orderBy: { startsAt: 'asc' },
        take: 500,
      });
      return rows.map(toAvailabilityException);
    },
  },
  Mutation: {
    setAvailabilityRules: (_root, { input }, context) => setAvailabilityRules(input, context),
    addAvailabilityException: (_root, { input }, context) => addAvailabilityException(input, context),
    removeAvailabilityException: (_root, { input }, context) => removeAvailabilityException(input, context),
    setDoctorStatus: (_root, { input }, context) => setDoctorStatus(input, context),
  },
};
