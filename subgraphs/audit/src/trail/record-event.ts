import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '@clinic/contracts';
import { handleOnce, handleOnceBatch } from '@clinic/platform';
import type { AuditDatabase } from '../database';
import { appendEntries, type NewAuditEntry } from './append-entries';

export const AUDIT_CONSUMER = 'audit';

/**
 * Appends the audit entry for one event, exactly once: the inbox row and the entry commit together, so
 * a redelivered or replayed event adds nothing. Only pseudonymous ids are recorded.
 */
export async function recordEvent(db: AuditDatabase, event: EventEnvelope): Promise<void> {
  await handleOnce(db, AUDIT_CONSUMER, event, async (tx) => {
    await appendEntries(tx, [entryFor(event)]);
  });
}

/** The same for a run of events in one transaction (one chain lock): what the consumer does under load. */
export async function recordEvents(db: AuditDatabase, events: EventEnvelope[]): Promise<void> {
  await handleOnceBatch(db, AUDIT_CONSUMER, events, async (tx, fresh) => {
    await appendEntries(tx, fresh.map(entryFor));
  });
}

export function entryFor(event: EventEnvelope): NewAuditEntry {
  const recorded = event.type === 'audit.recorded' ? (event as EventEnvelope<'audit.recorded'>) : null;
  return {
    id: uuidv7(),
    eventId: event.id,
    occurredAt: new Date(event.occurredAt),
    recordedAt: new Date(),
    // A reported action is filed under its own name; a domain event under its type.
    action: recorded ? recorded.payload.action : event.type,
    actorRole: event.actor.role,
    actorSubject: event.actor.subject,
    ...subjectOf(event),
    correlationId: event.correlationId,
  };
}

/** What an event is about, in pseudonymous ids only. */
function subjectOf(event: EventEnvelope): {
  subjectType: string;
  subjectId: string;
  clientId: string | null;
  clinicId: string | null;
} {
  const payload: Record<string, unknown> = event.payload;
  const id = (key: string) => (typeof payload[key] === 'string' ? payload[key] : null);
  const clientId = id('clientId');
  const clinicId = id('clinicId');
  const [subjectType, subjectId] =
    event.type === 'audit.recorded'
      ? [id('subjectType') ?? 'Event', id('subjectId')]
      : event.type.startsWith('appointment.')
        ? ['Appointment', id('appointmentId')]
        : event.type.startsWith('slot.')
          ? ['Slot', id('slotId')]
          : event.type.startsWith('doctor.')
            ? ['Doctor', id('doctorId')]
            : event.type.startsWith('patient.')
              ? ['Patient', clientId]
              : event.type.startsWith('waitlist.')
                ? ['WaitlistOffer', id('offerId')]
                : ['Event', null];
  return { subjectType, subjectId: subjectId ?? event.aggregateId, clientId, clinicId };
}
