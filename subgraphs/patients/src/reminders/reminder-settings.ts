import { appError, invalid, notAllowed, type InvalidInput, type NotAllowed } from '@clinic/contracts';
import { isUuid, mutation, type RawSql } from '@clinic/platform';
import { managesClinicReminders } from '../access/access';
import type { PatientsContext } from '../context';
import { patientsMutation, type PatientsTransaction } from '../idempotency';

export type Channel = 'sms' | 'email';
export const CHANNELS: readonly Channel[] = ['sms', 'email'];

export interface ReminderSettings {
  clinicId: string;
  /** Minutes before the start, largest first. */
  offsetsMinutes: number[];
  /** Channels the clinic sends reminders on; none turns reminders off. */
  channels: Channel[];
}

/** What a clinic that never set its own gets: the day before (wall clock) and two hours before, on both. */
export const DEFAULT_OFFSETS_MINUTES: readonly number[] = [24 * 60, 2 * 60];
export const DEFAULT_CHANNELS: readonly Channel[] = CHANNELS;

/** The bounds of a clinic's settings: a few reminders, from a quarter of an hour to two weeks ahead. */
export const MAX_OFFSETS = 4;
export const MIN_OFFSET_MINUTES = 15;
export const MAX_OFFSET_MINUTES = 14 * 24 * 60;

/** Each clinic's settings (the defaults for a clinic without its own), read in the caller's transaction. */
export async function settingsOf(
  tx: RawSql,
  clinicIds: readonly string[],
): Promise<Map<string, ReminderSettings>> {
  const unique = [...new Set(clinicIds)];
  const rows =
    unique.length === 0
      ? []
      : await tx.$queryRawUnsafe<{ clinic_id: string; offsets_minutes: number[]; channels: Channel[] }[]>(
          `SELECT "clinic_id"::text, "offsets_minutes", "channels"::text[] AS "channels"
           FROM "clinic_reminder_settings" WHERE "clinic_id" = ANY($1::uuid[])`,
          unique,
        );
  const own = new Map(rows.map((row) => [row.clinic_id, row]));
  return new Map(
    unique.map((clinicId) => {
      const row = own.get(clinicId);
      return [
        clinicId,
        {
          clinicId,
          offsetsMinutes: row ? sortOffsets(row.offsets_minutes) : [...DEFAULT_OFFSETS_MINUTES],
          channels: row ? orderChannels(row.channels) : [...DEFAULT_CHANNELS],
        },
      ];
    }),
  );
}

/** `reminderSettings(clinicId)`: the clinic's staff who manage it (policy row `clinic`), system administrators any. */
export async function readReminderSettings(
  context: PatientsContext,
  clinicId: string,
): Promise<ReminderSettings | NotAllowed | InvalidInput> {
  if (!context.identity) throw appError('UNAUTHENTICATED', "Sign in to see a clinic's reminders.");
  if (!isUuid(clinicId)) return invalid('clinicId', 'This is not a clinic id.');
  if (!managesClinicReminders(context.identity, clinicId))
    return notAllowed("Only the clinic's managers see its reminder settings.");
  const settings = (await settingsOf(context.db, [clinicId])).get(clinicId);
  // settingsOf answers every id it is asked for.
  return { ...(settings as ReminderSettings) };
}

export interface SetReminderSettingsInput {
  clinicId: string;
  offsetsMinutes: readonly number[];
  channels: readonly string[];
  idempotencyKey: string;
}

type SetOutcome = (ReminderSettings & { __typename: 'ReminderSettings' }) | InvalidInput | NotAllowed;

/**
 * Sets a clinic's reminder offsets and channels. They apply to appointments booked (or moved) from now on;
 * reminders already scheduled keep their times, and a channel turned off is honoured when a reminder falls
 * due (the worker reads the clinic's channels then).
 */
export async function setReminderSettings(
  input: SetReminderSettingsInput,
  context: PatientsContext,
): Promise<SetOutcome> {
  return mutation<PatientsTransaction, SetOutcome, ReminderSettings>(
    {
      ...patientsMutation(context, "Sign in to change a clinic's reminders."),
      ids: [['clinicId', input.clinicId, 'This is not a clinic id.']],
      // `clinic`: the admins and practice managers of this clinic; system administrators any clinic.
      permission: () =>
        managesClinicReminders(context.identity, input.clinicId)
          ? validSettings(input)
          : notAllowed("Only the clinic's admins and practice managers change its reminders."),
      key: input.idempotencyKey,
      operation: 'setReminderSettings',
      input: ({ subject }) => subject,
    },
    async (tx, { subject }) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO "clinic_reminder_settings" ("clinic_id", "offsets_minutes", "channels", "updated_at")
         VALUES ($1::uuid, $2::int[], $3::text[]::"contact_channel"[], now())
         ON CONFLICT ("clinic_id") DO UPDATE SET "offsets_minutes" = EXCLUDED."offsets_minutes",
           "channels" = EXCLUDED."channels", "updated_at" = now()`,
        subject.clinicId,
        subject.offsetsMinutes,
        subject.channels,
      );
      return { __typename: 'ReminderSettings', ...subject };
    },
  );
}

/** The settings as they will be stored, or what is wrong with them. */
export function validSettings(
  input: Omit<SetReminderSettingsInput, 'idempotencyKey'>,
): ReminderSettings | InvalidInput {
  const offsets = input.offsetsMinutes;
  if (offsets.length > MAX_OFFSETS) {
    return invalid('offsetsMinutes', `Give at most ${MAX_OFFSETS} reminder times.`);
  }
  for (const offset of offsets) {
    if (!Number.isInteger(offset) || offset < MIN_OFFSET_MINUTES || offset > MAX_OFFSET_MINUTES) {
      return invalid(
        'offsetsMinutes',
        `Each reminder time is a whole number of minutes from ${MIN_OFFSET_MINUTES} to ${MAX_OFFSET_MINUTES} (14 days) before the appointment.`,
      );
    }
  }
  if (new Set(offsets).size !== offsets.length)
    return invalid('offsetsMinutes', 'Give each reminder time once.');
  const channels = input.channels;
  if (channels.some((channel) => !(CHANNELS as readonly string[]).includes(channel))) {
    return invalid('channels', 'Channels are sms and email.');
  }
  if (new Set(channels).size !== channels.length) return invalid('channels', 'Give each channel once.');
  return {
    clinicId: input.clinicId,
    offsetsMinutes: sortOffsets(offsets),
    channels: orderChannels(channels as Channel[]),
  };
}

const sortOffsets = (offsets: readonly number[]) => [...offsets].sort((a, b) => b - a);
const orderChannels = (channels: readonly Channel[]) =>
  CHANNELS.filter((channel) => channels.includes(channel));
