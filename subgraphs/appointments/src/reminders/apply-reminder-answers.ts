import type { EventEnvelope } from '@clinic/contracts';
import { handleOnce } from '@clinic/platform';
import { cancelAndRelease } from '../booking/cancel-appointment';
import type { AppointmentsDatabase } from '../database';

/** The consumer group and inbox name of this capability. */
export const REMINDER_ANSWERS_CONSUMER = 'appointments-reminder-answers';

export type AnswerEffect = 'confirmed' | 'cancelled' | 'ignored' | 'duplicate';

/**
 * Acts on a patient's answer to a reminder (`patient.reminder-answered`, from the patients service),
 * exactly once (the inbox row and the change commit together). It acts only on the appointment the
 * reminder was about, still the patient's, still booked and still at the time the reminder named: an
 * answer to an old time's reminder after a move, or after a cancellation, changes nothing.
 *
 * - confirm: sets `confirmed_at` (shown to staff in doctorDay) unless it is set already;
 * - cancel: the one cancel path (cancelAndRelease): the slot is freed and `appointment.cancelled` and
 *   `slot.changed` go out like any cancellation, so the live subscription announces it.
 */
export async function applyReminderAnswer(
  db: AppointmentsDatabase,
  event: EventEnvelope,
): Promise<AnswerEffect> {
  if (event.type !== 'patient.reminder-answered') return 'ignored';
  const answer = event.payload;
  let effect: AnswerEffect = 'duplicate';
  await handleOnce(db, REMINDER_ANSWERS_CONSUMER, event, async (tx) => {
    const start = new Date(answer.appointmentStart);
    if (answer.answer === 'confirm') {
      const confirmed = await tx.appointment.updateMany({
        where: {
          id: answer.appointmentId,
          clientId: answer.clientId,
          status: 'booked',
          start,
          confirmedAt: null,
        },
        data: { confirmedAt: new Date(event.occurredAt) },
      });
      effect = confirmed.count > 0 ? 'confirmed' : 'ignored';
      return;
    }
    const cancelled = await cancelAndRelease(
      tx,
      answer.appointmentId,
      (found) =>
        found.clientId === answer.clientId &&
        found.status === 'booked' &&
        found.start.getTime() === start.getTime(),
      event.actor,
    );
    effect = typeof cancelled === 'string' ? 'ignored' : 'cancelled';
  });
  return effect;
}
