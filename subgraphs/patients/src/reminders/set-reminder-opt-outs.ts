import { invalid, notAllowed, type InvalidInput, type NotAllowed } from '@clinic/contracts';
import { mutation } from '@clinic/platform';
import type { PatientsContext } from '../context';
import { patientsMutation, type PatientsTransaction } from '../idempotency';
import { CHANNELS, type Channel } from './reminder-settings';

type OptOutsOutcome = { __typename: 'ReminderOptOuts'; channels: Channel[] } | InvalidInput | NotAllowed;

/**
 * Sets the channels on which the signed-in patient wants no reminders: the full set, so a retry or a
 * repeat leaves the same state. Honoured when each reminder falls due (reminder-worker.ts), so it also
 * covers reminders already scheduled.
 */
export async function setReminderOptOuts(
  channels: readonly string[],
  idempotencyKey: string,
  context: PatientsContext,
): Promise<OptOutsOutcome> {
  return mutation<PatientsTransaction, OptOutsOutcome, Channel[]>(
    {
      ...patientsMutation(context, 'Sign in to choose your reminders.'),
      // `own`: the signed-in patient's own choice; there is no other patient to name.
      permission: (identity) => {
        if (identity.role !== 'Patient') return notAllowed('Only the patient chooses their reminders.');
        if (channels.some((channel) => !(CHANNELS as readonly string[]).includes(channel))) {
          return invalid('channels', 'Channels are sms and email.');
        }
        if (new Set(channels).size !== channels.length) return invalid('channels', 'Give each channel once.');
        return CHANNELS.filter((channel) => channels.includes(channel));
      },
      key: idempotencyKey,
      operation: 'setReminderOptOuts',
      input: ({ subject }) => ({ channels: subject }),
    },
    async (tx, { identity, subject }) => {
      const updated = await tx.$executeRawUnsafe(
        `UPDATE "patient" SET "reminder_opt_outs" = $2::text[]::"contact_channel"[] WHERE "client_id" = $1::uuid`,
        identity.subject,
        subject,
      );
      // A token of a patient this service does not know (never registered): nothing to change.
      if (updated === 0) return notAllowed('Only a registered patient chooses their reminders.');
      return { __typename: 'ReminderOptOuts', channels: subject };
    },
  );
}
