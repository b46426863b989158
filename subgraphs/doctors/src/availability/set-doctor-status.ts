import { appError } from '@clinic/contracts';
import { createEvent, enqueueEvents, isUuid, runIdempotent } from '@clinic/platform';
import type { DoctorsContext } from '../context';
import type { Doctor } from '../generated/prisma/client';
import type { SetDoctorStatusInput } from '../generated/graphql';
import { invalid, notAllowed, type InvalidInput, type NotAllowed } from './outcomes';
import { mayChangeAvailability } from './permissions';
import { horizonEnd, publishAvailability, type DoctorsTransaction } from './publish-availability';

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
  const { identity, db } = context;
  if (!identity) throw appError('UNAUTHENTICATED', "Sign in to change a doctor's status.");
  if (!isUuid(input.doctorId)) return invalid('doctorId', 'This is not a doctor id.');
  const doctor = await db.doctor.findUnique({ where: { id: input.doctorId } });
  if (!doctor) return invalid('doctorId', 'There is no doctor with this id.');
  if (!mayChangeAvailability(identity, doctor, 'set-status')) {
    return notAllowed("Only the clinic's administrators and practice managers change a doctor's status.");
  }

  const outcome = await runIdempotent<DoctorsTransaction, SetStatusOutcome>(
    db,
    {
      caller: identity,
      key: input.idempotencyKey,
      operation: 'setDoctorStatus',
      input: { doctorId: doctor.id, status: input.status },
    },
    async (tx) => {
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
      const now = new Date();
      await publishAvailability(
        tx,
        doctor.id,
        { start: now, end: horizonEnd(now, context.horizonDays) },
        actor,
      );
      return { __typename: 'DoctorStatusSet', doctor: updated };
    },
    {
      outcomeOfError: (error) =>
        error instanceof RemovedForGood
          ? invalid('status', 'A removed doctor stays removed; add them to the directory again instead.')
          : null,
    },
  );
  context.outbox.poke();
  return outcome;
}

class RemovedForGood extends Error {}
