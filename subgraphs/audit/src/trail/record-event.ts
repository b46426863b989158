import { v7 as uuidv7 } from 'uuid';
import { handleOnce, handleOnceBatch, type EventEnvelope } from '@clinic/platform';
import type { AuditDatabase } from '../database';

export const AUDIT_CONSUMER = 'audit';

/**
 * Appends the audit entry for one event, exactly once: the inbox row and the entry commit together, so
 * a redelivered or replayed event adds nothing. Only pseudonymous ids are recorded.
 */
export async function recordEvent(db: AuditDatabase, event: EventEnvelope): Promise<void> {
  await handleOnce(db, AUDIT_CONSUMER, event, async (tx) => {
    await tx.auditEntry.create({ data: entryFor(event) });
  });
}

/** The same for a run of events in one transaction: what the consumer does under load. */
export async function recordEvents(db: AuditDatabase, events: EventEnvelope[]): Promise<void> {
  await handleOnceBatch(db, AUDIT_CONSUMER, events, async (tx, fresh) => {
    await tx.auditEntry.createMany({ data: fresh.map(entryFor) });
  });
}

function entryFor(event: EventEnvelope) {
  const { payload } = event;
  return {
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
  };
}
