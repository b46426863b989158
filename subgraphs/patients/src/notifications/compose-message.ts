import type { OutgoingMessage } from './sender';

export type NotificationReason =
  | 'reassigned'
  | 'needs_attention'
  | 'returned'
  | 'reminder'
  | 'reminder_help'
  | 'reminder_unclear'
  | WaitlistReason;
/** Waitlist (issue 19): a freed time offered to the patient; appointmentId is the offer's id. */
type WaitlistReason = 'waitlist_offer';
export type NotificationRecipient = 'patient' | 'clinic_admins';

/** What a message may mention: public clinic and doctor data, the appointment's time and id. */
export interface MessageFacts {
  reason: NotificationReason;
  recipient: NotificationRecipient;
  appointmentId: string;
  appointmentStart: Date;
  /** From the doctors service when it answered; the message stays correct (if vaguer) without them. */
  clinic: { name: string; timeZone: string } | null;
  doctorName: string | null;
  /** A reminder email's answer link (the page, the token in the fragment); null or absent: no link. */
  replyUrl?: string | null;
  /** A reminder by SMS that can be answered by reply (SNS two-way is configured). */
  smsReply?: boolean;
}

/**
 * The words of each message. Never clinical: no reason for visit, no specialty, and no patient name (the
 * clinic admins' alert carries the appointment id only; staff look the rest up in the console).
 */
export function composeMessage(facts: MessageFacts): Pick<OutgoingMessage, 'subject' | 'body'> {
  const when = formatWhen(facts.appointmentStart, facts.clinic?.timeZone ?? null);
  const at = facts.clinic ? ` at ${facts.clinic.name}` : '';
  if (facts.recipient === 'clinic_admins') {
    return {
      subject: 'Appointment needs attention',
      body:
        `Appointment ${facts.appointmentId} on ${when}${at} has no doctor: its doctor became unavailable ` +
        'and nobody else is free at that time. Please rebook or contact the patient.',
    };
  }
  if (facts.reason === 'reassigned') {
    const doctor = facts.doctorName ?? 'another doctor';
    return {
      subject: 'Your appointment has a new doctor',
      body: `Your appointment${at} on ${when} is now with ${doctor}, at the same time. No need to do anything.`,
    };
  }
  // ---- Waitlist (issue 19) ----
  if (facts.reason === 'waitlist_offer') {
    return {
      subject: 'A time has come up for you',
      body:
        `A time${at} on ${when} has come up from the waitlist. Open the app to claim it soon: ` +
        'the offer lapses, and others may be offered it too.',
    };
  }
  if (facts.reason === 'reminder') {
    // The time and place only: nothing clinical, and no name of the patient (docs/reminders.md).
    const doctor = facts.doctorName ? ` with ${facts.doctorName}` : '';
    const reply = facts.replyUrl
      ? ` To confirm, or to cancel if you cannot come, open ${facts.replyUrl} (it asks before it does anything).`
      : facts.smsReply
        ? ' Reply C to confirm or X to cancel.'
        : ' If you cannot come, please let the clinic know.';
    return {
      subject: 'Appointment reminder',
      body: `Reminder: your appointment${at} on ${when}${doctor}.${reply}`,
    };
  }
  if (facts.reason === 'reminder_unclear') {
    // More than one visit's reminder is open on a shared number: guessing could cancel the wrong one.
    return {
      subject: 'Which appointment?',
      body:
        'More than one appointment on this number has a reminder waiting, so we could not tell which one ' +
        'your reply was about. Please answer from the app or the email, or call the clinic.',
    };
  }
  if (facts.reason === 'reminder_help') {
    // Sent once per reminder at most (docs/reminders.md), so it may invite another reply.
    return {
      subject: 'Reply C or X',
      body: `About your appointment${at} on ${when}: reply C to confirm or X to cancel.`,
    };
  }
  if (facts.reason === 'returned') {
    const doctor = facts.doctorName ?? 'your doctor';
    return {
      subject: 'Your appointment is going ahead',
      body: `Good news: your appointment${at} on ${when} is back with ${doctor}. No need to do anything.`,
    };
  }
  return {
    subject: 'Your appointment needs to be rebooked',
    body:
      `Your doctor is unavailable for your appointment${at} on ${when} and no other doctor is free then. ` +
      'The clinic will contact you to find a new time.',
  };
}

/** "Tue, 1 Dec 2026, 9:00 am" in the clinic's zone, or in UTC (and saying so) when the zone is unknown. */
export function formatWhen(instant: Date, timeZone: string | null): string {
  const text = new Intl.DateTimeFormat('en-AU', {
    timeZone: timeZone ?? 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(instant);
  return timeZone ? text : `${text} UTC`;
}
