import { seesReminder } from '../access/access';
import type { Resolvers } from '../generated/graphql';
import { answerReminder } from './answer-reminder';
import { readReminderSettings, setReminderSettings } from './reminder-settings';
import { reminderStats } from './reminder-stats';
import { setReminderOptOuts } from './set-reminder-opt-outs';

/** Who may do what: the policy table's rows, scoped in each operation's file (reminder-settings.ts, set-reminder-opt-outs.ts). */
export const reminderResolvers: Resolvers = {
  Query: {
    reminderStats: (_root, { clinicId, from, to }, context) => reminderStats(context, clinicId, from, to),
    reminderSettings: async (_root, { clinicId }, context) => {
      const answer = await readReminderSettings(context, clinicId);
      return '__typename' in answer ? answer : { __typename: 'ReminderSettings', ...answer };
    },
  },
  Appointment: {
    // Rows the caller may not see (access.ts, seesReminder) are left out.
    reminders: async (appointment, _args, { identity, loaders }) =>
      (await loaders.reminders.load(appointment.id))
        .filter((reminder) => seesReminder(identity, reminder))
        .map(({ id, offsetMinutes, appointmentStart, dueAt, status, channel, sentAt, skipReason }) => ({
          id,
          offsetMinutes,
          appointmentStart,
          dueAt,
          status,
          channel,
          sentAt,
          skipReason,
        })),
  },
  Mutation: {
    answerReminder: (_root, { token, answer }, context) => answerReminder(token, answer, context),
    setReminderSettings: (_root, { input }, context) => setReminderSettings(input, context),
    setReminderOptOuts: (_root, { channels, idempotencyKey }, context) =>
      setReminderOptOuts(channels, idempotencyKey, context),
  },
};
