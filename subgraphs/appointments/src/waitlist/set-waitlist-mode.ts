import { mutation } from '@clinic/platform';
import type { Identity } from '@clinic/contracts';
import type { AppointmentsContext } from '../context';
import type { Prisma, WaitlistSetting } from '../generated/prisma/client';
import type { SetWaitlistModeInput } from '../generated/graphql';
import { invalid, notAllowed, type InvalidInput, type NotAllowed } from '../booking/outcomes';
import { DEFAULT_WAITLIST_SETTING, OFFER_MINUTES } from './settings';

export type SetWaitlistModeOutcome =
  { __typename: 'WaitlistModeSet'; settings: WaitlistSetting } | NotAllowed | InvalidInput;

type Tx = Prisma.TransactionClient;

/** The clinic a staff member sets the waitlist of: their own, named or not; anyone else sets none. */
export function settingClinic(identity: Identity, clinicId: string | null | undefined): string | NotAllowed {
  if ((identity.role !== 'ClinicAdmin' && identity.role !== 'PracticeManager') || !identity.clinicId) {
    return notAllowed("Only a clinic's admins and practice managers set its waitlist.");
  }
  if (clinicId != null && clinicId !== identity.clinicId) {
    return notAllowed("You may set only your own clinic's waitlist.");
  }
  return identity.clinicId;
}

/**
 * A clinic's admins and practice managers choose broadcast or sequential offers and how long an offer
 * lasts. It applies to times freed from then on; offers already made run their course.
 */
export async function setWaitlistMode(
  input: SetWaitlistModeInput,
  context: AppointmentsContext,
): Promise<SetWaitlistModeOutcome> {
  const offerMinutes = input.offerMinutes ?? DEFAULT_WAITLIST_SETTING.offerMinutes;
  return mutation<Tx, SetWaitlistModeOutcome, { clinicId: string }>(
    {
      db: context.db,
      identity: context.identity,
      signIn: 'Sign in to set the waitlist.',
      ids: [['clinicId', input.clinicId]],
      permission: (identity) => {
        const clinicId = settingClinic(identity, input.clinicId);
        if (typeof clinicId !== 'string') return clinicId;
        if (
          !Number.isInteger(offerMinutes) ||
          offerMinutes < OFFER_MINUTES.min ||
          offerMinutes > OFFER_MINUTES.max
        ) {
          return invalid('offerMinutes', `Give ${OFFER_MINUTES.min} to ${OFFER_MINUTES.max} minutes.`);
        }
        return { clinicId };
      },
      key: input.idempotencyKey,
      operation: 'setWaitlistMode',
      input: ({ subject: { clinicId } }) => ({ clinicId, mode: input.mode, offerMinutes }),
    },
    async (tx, { subject: { clinicId } }) => {
      const settings = await tx.waitlistSetting.upsert({
        where: { clinicId },
        create: { clinicId, mode: input.mode, offerMinutes },
        update: { mode: input.mode, offerMinutes },
      });
      return { __typename: 'WaitlistModeSet', settings };
    },
  );
}
