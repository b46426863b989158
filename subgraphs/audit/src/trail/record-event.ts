import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '@clinic/platform';
import type { AuditDatabase } from '../database';

/**
 * Appends the audit entry for one event. The unique event id makes it idempotent: a redelivered event
 * adds nothing. Only pseudonymous ids are recorded.
 */
export async function recordEvent(db: AuditDatabase, event: EventEnvelope): Promise<void> {
  const { payload } = event;
  await db.auditEntry.createMany({
    data: [
      {
        id: uuidv7(),
        eventId: event.id,
        occurredAt: new Date(event.occurredAt),
        action: event.type,
        actorRole: event.actor.role,
        actorSubject: event.actor.subject,
        subjectType: 'Appointment',
        subjectId: payload.appointmentId,
        clientId: payload.clientId,
        clinicId: payload.clinicId,
        correlationId: event.correlationId,
      },
    ],
    skipDuplicates: true,
  });
}
