import { randomUUID } from 'node:crypto';
import { mutation } from '@clinic/platform';
import { waitlistPatient } from '../access/access';
import type { AppointmentsContext } from '../context';
import type { Prisma, WaitlistEntry } from '../generated/prisma/client';
import type { JoinWaitlistInput } from '../generated/graphql';
import { invalid, notAllowed, type InvalidInput, type NotAllowed } from '../booking/outcomes';
import {
  asDateColumn,
  checkWish,
  ENTRIES_PER_PATIENT,
  stillWaiting,
  windowCutoff,
  ZONE_RULE,
  type EntryWish,
} from './limits';

export type JoinWaitlistOutcome =
  { __typename: 'WaitlistJoined'; entry: WaitlistEntry } | NotAllowed | InvalidInput;

type Tx = Prisma.TransactionClient;

/**
 * A patient joins a clinic's waitlist, or one doctor's there, for a window of days and optional times of
 * day. Exactly one of clinicId and doctorId; a doctor's entry is at the clinic the doctor's slots are at.
 * At most ENTRIES_PER_PATIENT active entries, counted under the patient's advisory lock (the first lock of
 * the lock order, the one holdSlot counts holds under), so two joins at once cannot both be the sixth.
 * A repeat of the key answers the first outcome (runIdempotent).
 */
export async function joinWaitlist(
  input: JoinWaitlistInput,
  context: AppointmentsContext,
): Promise<JoinWaitlistOutcome> {
  const notOneOf =
    (input.clinicId == null) === (input.doctorId == null)
      ? invalid('clinicId', 'Give either a clinicId or a doctorId, not both.')
      : null;
  return mutation<Tx, JoinWaitlistOutcome, { clientId: string; wish: EntryWish }>(
    {
      db: context.db,
      identity: context.identity,
      signIn: 'Sign in to join a waitlist.',
      ids: notOneOf
        ? []
        : [
            ['clinicId', input.clinicId],
            ['doctorId', input.doctorId],
          ],
      permission: (identity) => {
        if (notOneOf) return notOneOf;
        const patient = waitlistPatient(identity);
        if ('__typename' in patient) return patient;
        const wish = checkWish(input);
        return '__typename' in wish ? wish : { clientId: patient.clientId, wish };
      },
      key: input.idempotencyKey,
      operation: 'joinWaitlist',
      input: ({ subject: { wish } }) => ({
        clinicId: input.clinicId ?? undefined,
        doctorId: input.doctorId ?? undefined,
        ...wish,
      }),
    },
    async (tx, { subject: { clientId, wish } }) => {
      const clinicId = await clinicOfWish(tx, input.clinicId ?? null, input.doctorId ?? null);
      if (typeof clinicId !== 'string') return clinicId;
      // The offer consumer converts times in this zone in PostgreSQL, whose zone list is not Node's (ICU
      // has US/Pacific-New, PostgreSQL does not): a zone only Node knows would fail every freed time.
      if (!(await knownToDatabase(tx, wish.timeZone))) return invalid('timeZone', ZONE_RULE);
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', clientId);
      // Entries whose window has passed wait for nothing and do not count.
      const now = new Date();
      const active = stillWaiting(
        await tx.waitlistEntry.findMany({
          where: { clientId, status: 'active', toDate: { gte: windowCutoff(now) } },
          select: { toDate: true, timeZone: true },
        }),
        now,
      ).length;
      if (active >= ENTRIES_PER_PATIENT) {
        return notAllowed(
          `You are on ${ENTRIES_PER_PATIENT} waitlists already, as many as one patient may be. Leave one first.`,
        );
      }
      const entry = await tx.waitlistEntry.create({
        data: {
          id: randomUUID(),
          clientId,
          clinicId,
          doctorId: input.doctorId ?? null,
          fromDate: asDateColumn(wish.fromDate),
          toDate: asDateColumn(wish.toDate),
          timeZone: wish.timeZone,
          earliestStartMinute: wish.earliestStartMinute,
          latestStartMinute: wish.latestStartMinute,
        },
      });
      return { __typename: 'WaitlistJoined', entry };
    },
  );
}

/**
 * The clinic an entry waits at: the one named, if this service knows any time there, or the doctor's. A
 * clinic or doctor this service has never had a slot of is refused, so the line holds real clinics only.
 */
async function clinicOfWish(
  tx: Tx,
  clinicId: string | null,
  doctorId: string | null,
): Promise<string | InvalidInput> {
  if (doctorId !== null) {
    const slot = await tx.slot.findFirst({ where: { doctorId }, select: { clinicId: true } });
    return slot ? slot.clinicId : invalid('doctorId', 'There is no doctor with this id.');
  }
  const slot = await tx.slot.findFirst({
    where: { clinicId: clinicId as string },
    select: { clinicId: true },
  });
  return slot ? slot.clinicId : invalid('clinicId', 'There is no clinic with this id.');
}

/** Whether PostgreSQL can convert times in this zone (the offer consumer's AT TIME ZONE). */
async function knownToDatabase(tx: Tx, timeZone: string): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<{ known: boolean }[]>(
    'SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS known',
    timeZone,
  );
  return rows[0]?.known === true;
}
