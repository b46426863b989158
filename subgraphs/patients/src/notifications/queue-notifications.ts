import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import { handleOnceBatch } from '@clinic/platform';
import type { PatientsDatabase } from '../database';
import type { NotificationReason, NotificationRecipient } from './compose-message';

/** The consumer group and inbox name of this capability. */
export const NOTIFICATIONS_CONSUMER = 'patients-notifications';

/** Which appointment events tell whom. Other types are not this consumer's business. */
const RECIPIENTS: Partial<Record<string, { reason: NotificationReason; to: NotificationRecipient[] }>> = {
  'appointment.reassigned': { reason: 'reassigned', to: ['patient'] },
  'appointment.needs-attention': { reason: 'needs_attention', to: ['patient', 'clinic_admins'] },
  'appointment.returned': { reason: 'returned', to: ['patient'] },
  // Waitlist (issue 19): the patient offered a freed time hears of it on their channel.
  'waitlist.offered': { reason: 'waitlist_offer', to: ['patient'] },
};

/** The placement fields a message needs; a waitlist offer has no appointment yet, so its offer id stands in. */
function placementOf(event: EventEnvelope): {
  clientId: string;
  clinicId: string;
  appointmentId: string;
  start: string;
  doctorId: string;
} {
  if (event.type === 'waitlist.offered') {
    const offer = (event as EventEnvelope<'waitlist.offered'>).payload;
    return { ...offer, appointmentId: offer.offerId };
  }
  // Every other notifiable type carries at least the placement fields used here.
  return (event as EventEnvelope<'appointment.needs-attention'>).payload;
}

export function isNotifiable(event: EventEnvelope): boolean {
  return RECIPIENTS[event.type] !== undefined;
}

/**
 * Queues the messages a run of events calls for, exactly once: the inbox rows and the notification rows
 * commit in one transaction, so a redelivered event queues nothing (and the unique key on appointment,
 * reason, event and recipient would refuse it even so). The patient's channel is their preference at this
 * moment. No contact details are written: the dispatcher reads them from the vault when it sends.
 * Returns how many events were new.
 */
export async function queueNotifications(
  db: PatientsDatabase,
  events: readonly EventEnvelope[],
): Promise<number> {
  const notifiable = events.filter(isNotifiable);
  if (notifiable.length === 0) return 0;
  return handleOnceBatch(db, NOTIFICATIONS_CONSUMER, notifiable, async (tx, fresh) => {
    const rows = fresh.flatMap((event) => {
      const rule = RECIPIENTS[event.type];
      if (!rule) return [];
      const payload = placementOf(event);
      return rule.to.map((recipient) => ({
        id: randomUUID(),
        recipient,
        clientId: recipient === 'patient' ? payload.clientId : null,
        clinicId: payload.clinicId,
        reason: rule.reason,
        appointmentId: payload.appointmentId,
        appointmentStart: payload.start,
        doctorId: payload.doctorId,
        eventId: event.id,
      }));
    });
    // One statement for the whole run; the clinic admins' alert always goes by email.
    await tx.$executeRawUnsafe(
      `INSERT INTO "notification" ("id", "recipient", "client_id", "clinic_id", "channel", "reason",
         "appointment_id", "appointment_start", "doctor_id", "event_id")
       SELECT t."id", t."recipient"::"notification_recipient", t."client_id", t."clinic_id",
         CASE WHEN t."recipient" = 'clinic_admins' THEN 'email'::"contact_channel"
              ELSE COALESCE(p."preferred_channel", 'sms'::"contact_channel") END,
         t."reason"::"notification_reason", t."appointment_id", t."appointment_start", t."doctor_id", t."event_id"
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::uuid[], $7::timestamptz[],
                   $8::uuid[], $9::uuid[])
         AS t("id", "recipient", "client_id", "clinic_id", "reason", "appointment_id", "appointment_start",
              "doctor_id", "event_id")
       LEFT JOIN "patient" p ON p."client_id" = t."client_id"
       ON CONFLICT ("appointment_id", "reason", "event_id", "recipient") DO NOTHING`,
      rows.map((row) => row.id),
      rows.map((row) => row.recipient),
      rows.map((row) => row.clientId),
      rows.map((row) => row.clinicId),
      rows.map((row) => row.reason),
      rows.map((row) => row.appointmentId),
      rows.map((row) => row.appointmentStart),
      rows.map((row) => row.doctorId),
      rows.map((row) => row.eventId),
    );
  });
}
