import { randomUUID } from 'node:crypto';
import { mutation } from '@clinic/platform';
import { DateTime } from 'luxon';
import { doctorTheCallerMayChange } from '../access/access';
import type { DoctorsContext } from '../context';
import type {
  AvailabilityRule,
  AvailabilityRuleInput,
  SetAvailabilityRulesInput,
} from '../generated/graphql';
import { localDateWindow, OUTSIDE_WINDOW } from './date-window';
import { isValidTimeZone, minutesOfDay, type WeeklyRule } from './derive-slots';
import type { Doctor } from '../generated/prisma/client';
import { invalid, type InvalidInput, type NotAllowed } from './outcomes';
import { toWeeklyRule, type DoctorsTransaction } from './publish-availability';
import { changeToDoctor, republishHorizon } from './doctor-change';

export const MAX_RULES = 100;

export type SetRulesOutcome =
  | { __typename: 'AvailabilityRulesSet'; doctorId: string; rules: AvailabilityRule[] }
  | NotAllowed
  | InvalidInput;

/** Replaces a doctor's weekly rules and publishes the slots they yield over the horizon, in one transaction. */
export async function setAvailabilityRules(
  input: SetAvailabilityRulesInput,
  context: DoctorsContext,
): Promise<SetRulesOutcome> {
  const { db } = context;
  const outcome = await mutation<
    DoctorsTransaction,
    SetRulesOutcome,
    { doctor: Doctor; rules: WeeklyRule[] }
  >(
    {
      ...changeToDoctor(context, input.doctorId),
      permission: async (identity) => {
        const doctor = doctorTheCallerMayChange(
          identity,
          await db.doctor.findUnique({ where: { id: input.doctorId }, include: { clinic: true } }),
          'set-rules',
          "Only the clinic's administrators and practice managers set a doctor's hours.",
        );
        if ('__typename' in doctor) return doctor;
        if (doctor.status === 'removed') return invalid('doctorId', 'This doctor has been removed.');
        if (!isValidTimeZone(doctor.clinic.timeZone)) {
          return invalid(
            'doctorId',
            `The doctor's clinic has an unknown time zone (${doctor.clinic.timeZone}).`,
          );
        }
        const rules = validateRules(input.rules);
        return '__typename' in rules ? rules : { doctor, rules };
      },
      key: input.idempotencyKey,
      operation: 'setAvailabilityRules',
      input: ({ subject: { doctor, rules } }) => ({ doctorId: doctor.id, rules }),
    },
    async (tx, { identity, subject: { doctor, rules } }) => {
      await tx.availabilityRule.deleteMany({ where: { doctorId: doctor.id } });
      const rows = rules.map((rule) => ({
        id: randomUUID(),
        doctorId: doctor.id,
        weekday: rule.weekday,
        startLocal: new Date(`1970-01-01T${rule.startLocal}:00Z`),
        endLocal: new Date(`1970-01-01T${rule.endLocal}:00Z`),
        slotMinutes: rule.slotMinutes,
        validFrom: rule.validFrom ? new Date(`${rule.validFrom}T00:00:00Z`) : null,
        validUntil: rule.validUntil ? new Date(`${rule.validUntil}T00:00:00Z`) : null,
      }));
      await tx.availabilityRule.createMany({ data: rows });
      await republishHorizon(tx, doctor.id, context.horizonDays, {
        role: identity.role,
        subject: identity.subject,
      });
      return { __typename: 'AvailabilityRulesSet', doctorId: doctor.id, rules: rows.map(toAvailabilityRule) };
    },
  );
  context.outbox.poke();
  return outcome;
}

export function toAvailabilityRule(row: {
  id: string;
  weekday: number;
  startLocal: Date;
  endLocal: Date;
  slotMinutes: number;
  validFrom: Date | null;
  validUntil: Date | null;
}): AvailabilityRule {
  const rule = toWeeklyRule(row);
  return { id: row.id, ...rule, validFrom: rule.validFrom ?? null, validUntil: rule.validUntil ?? null };
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks each rule and that no two overlap; returns them normalised ("9:00" is not accepted, "09:00" is). */
export function validateRules(rules: readonly AvailabilityRuleInput[]): WeeklyRule[] | InvalidInput {
  if (rules.length > MAX_RULES) return invalid('rules', `Give at most ${MAX_RULES} rules.`);
  const window = localDateWindow();
  const checked: (WeeklyRule & { from: number; to: number })[] = [];
  for (const [index, rule] of rules.entries()) {
    const field = (name: string) => `rules.${index}.${name}`;
    if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) {
      return invalid(field('weekday'), 'Use an ISO weekday: 1 (Monday) to 7 (Sunday).');
    }
    const from = minutesOfDay(rule.startLocal);
    if (from === null) return invalid(field('startLocal'), 'Use a local time like 09:00.');
    const to = minutesOfDay(rule.endLocal);
    if (to === null) return invalid(field('endLocal'), 'Use a local time like 17:00.');
    if (from >= to) return invalid(field('endLocal'), 'The end must be after the start, on the same day.');
    if (!Number.isInteger(rule.slotMinutes) || rule.slotMinutes < 5 || rule.slotMinutes > 240) {
      return invalid(field('slotMinutes'), 'Slots last 5 to 240 minutes.');
    }
    if ((to - from) % rule.slotMinutes !== 0) {
      return invalid(field('slotMinutes'), 'The slot length must divide the period exactly.');
    }
    for (const name of ['validFrom', 'validUntil'] as const) {
      const value = rule[name];
      if (value && !(LOCAL_DATE.test(value) && DateTime.fromISO(value).isValid)) {
        return invalid(field(name), 'Use a date like 2026-12-01.');
      }
      if (value && (value < window.earliest || value > window.latest))
        return invalid(field(name), OUTSIDE_WINDOW);
    }
    if (rule.validFrom && rule.validUntil && rule.validFrom > rule.validUntil) {
      return invalid(field('validUntil'), 'The rule must end on or after the day it starts.');
    }
    const normalised = {
      weekday: rule.weekday,
      startLocal: rule.startLocal.slice(0, 5),
      endLocal: rule.endLocal.slice(0, 5),
      slotMinutes: rule.slotMinutes,
      validFrom: rule.validFrom ?? null,
      validUntil: rule.validUntil ?? null,
      from,
      to,
    };
    const clash = checked.findIndex((other) => overlap(other, normalised));
    if (clash >= 0) return invalid(field('startLocal'), `This rule overlaps rule ${clash}.`);
    checked.push(normalised);
  }
  return checked.map(({ from: _from, to: _to, ...rule }) => rule);
}

function overlap(
  a: WeeklyRule & { from: number; to: number },
  b: WeeklyRule & { from: number; to: number },
): boolean {
  if (a.weekday !== b.weekday || a.from >= b.to || b.from >= a.to) return false;
  // Date ranges compare as ISO strings; an open end is unbounded.
  const aEndsBeforeB = a.validUntil && b.validFrom && a.validUntil < b.validFrom;
  const bEndsBeforeA = b.validUntil && a.validFrom && b.validUntil < a.validFrom;
  return !aEndsBeforeB && !bEndsBeforeA;
}
