import { createEvent, enqueueEvents, mutation } from '@clinic/platform';
import { doctorTheCallerMayChange } from '../access/access';
import type { DoctorsContext } from '../context';
import type { Doctor } from '../generated/prisma/client';
import type { SetDoctorStatusInput } from '../generated/graphql';
import { invalid, type InvalidInput, type NotAllowed } from './outcomes';
import type { DoctorsTransaction } from './publish-availability';
import { changeToDoctor, republishHorizon } from './doctor-change';

export type SetStatusOutcome = { __typename: 'DoctorStatusSet'; doctor: Doctor } | NotAllowed | InvalidInput;

/**
 * Changes a doctor's status. A real change publishes `doctor.status-changed` and then the doctor's
 * availability over the horizon (empty unless active), in one transaction and in that order on the
 * doctor's partition, so the appointments service withdraws or restores their slots.
 */
export async function setDoctorStatus(
  input: SetDoctorStatusInput,
  context: DoctorsContext,
): Promise<SetStatusOutcome> {
  const { db } = context;
  const outcome = await mutation<DoctorsTransaction, SetStatusOutcome, Doctor>(
    {
      ...changeToDoctor(context, input.doctorId, "Sign in to change a doctor's status."),
      permission: async (identity) =>
        doctorTheCallerMayChange(
          identity,
          await db.doctor.findUnique({ where: { id: input.doctorId } }),
          'set-status',
          "Only the clinic's administrators and practice managers change a doctor's status.",
        ),
      key: input.idempotencyKey,
      operation: 'setDoctorStatus',
      input: ({ subject: doctor }) => ({ doctorId: doctor.id, status: input.status }),
      options: {
        outcomeOfError: (error) =>
          error instanceof RemovedForGood
            ? invalid('status', 'A removed doctor stays removed; add them to the directory again instead.')
            : null,
      },
    },
    async (tx, { identity, subject: doctor }) => {
      // Locked, so two concurrent changes publish their events in the order they commit.
      const [current] = await tx.$queryRaw<{ status: Doctor['status'] }[]>`
        SELECT "status" FROM "doctor" WHERE "id" = ${doctor.id}::uuid FOR UPDATE`;
      if (current?.status === input.status) return { __typename: 'DoctorStatusSet', doctor };
      if (current?.status === 'removed') throw new RemovedForGood();
      const updated = await tx.doctor.update({ where: { id: doctor.id }, data: { status: input.status } });
      const actor = { role: identity.role, subject: identity.subject };
      await enqueueEvents(tx, 'doctors', [
        createEvent({
          type: 'doctor.status-changed',
          aggregateId: doctor.id,
          actor,
          payload: { doctorId: doctor.id, clinicId: doctor.clinicId, status: input.status },
        }),
      ]);
      await republishHorizon(tx, doctor.id, context.horizonDays, actor);
      return { __typename: 'DoctorStatusSet', doctor: updated };
    },
  );
  context.outbox.poke();
  return outcome;
}

class RemovedForGood extends Error {}
