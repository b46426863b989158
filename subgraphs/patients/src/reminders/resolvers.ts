import type { Resolvers } from '../generated/graphql';
import { readReminderSettings, setReminderSettings } from './reminder-settings';
import { setReminderOptOuts } from './set-reminder-opt-outs';

/** Who may do what: the policy table's rows, scoped in each operation's file (reminder-settings.ts, set-reminder-opt-outs.ts). */
export const reminderResolvers: Resolvers = {
  Query: {
    reminderSettings: async (_root, { clinicId }, context) => {
      const answer = await readReminderSettings(context, clinicId);
      return '__typename' in answer ? answer : { __typename: 'ReminderSettings', ...answer };
    },
  },
  Mutation: {
    setReminderSettings: (_root, { input }, context) => setReminderSettings(input, context),
    setReminderOptOuts: (_root, { channels, idempotencyKey }, context) =>
      setReminderOptOuts(channels, idempotencyKey, context),
  },
};
