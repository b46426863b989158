import { parseEnvelope, type EventActor, type EventEnvelope, type TopicKey } from '@clinic/contracts';
import { createEvent } from './create-event';

/** Where `audit.recorded` events go; the audit service appends each to its hash-chained trail. */
export const AUDIT_TOPIC: TopicKey = 'audit';

export interface AuditRecord {
  /** A dotted name: `patient.pii-read`, `auth.token-rejected`, `admin.dead-letter-replayed`. */
  action: string;
  /** Who did it; `{ role: 'System', subject: 'gateway' }` when nobody could be identified. */
  actor: EventActor;
  /** What it was done to: a type name and a pseudonymous id, never a name, email or token. */
  subjectType: string;
  subjectId: string;
  clinicId?: string;
  clientId?: string;
}

/**
 * Builds the `audit.recorded` event for an action that is not itself a domain event, validated against
 * the catalogue so a malformed record fails where it is made, not in the audit consumer. Publish it with
 * `bus.publish(AUDIT_TOPIC, [auditRecord(...)])`, or through the service's outbox to tie it to a write.
 */
export function auditRecord(record: AuditRecord): EventEnvelope<'audit.recorded'> {
  const event = createEvent({
    type: 'audit.recorded',
    aggregateId: record.subjectId,
    actor: record.actor,
    payload: {
      action: record.action,
      subjectType: record.subjectType,
      subjectId: record.subjectId,
      ...(record.clinicId ? { clinicId: record.clinicId } : {}),
      ...(record.clientId ? { clientId: record.clientId } : {}),
    },
  });
  parseEnvelope(event);
  return event;
}
