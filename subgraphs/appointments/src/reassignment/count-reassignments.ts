import type { EventEnvelope } from '@clinic/contracts';
import { metrics } from '@clinic/platform';

const OUTCOMES = {
  'appointment.reassigned': 'reassigned',
  'appointment.needs-attention': 'needs_attention',
  'appointment.returned': 'returned',
} as const;

/**
 * clinic_reassignments_total, from the events a committed re-assignment wrote: each is announced exactly
 * once (one flagged again is not), so counting them after the commit counts each outcome once.
 */
export function countReassignments(events: readonly EventEnvelope[]): void {
  for (const event of events) {
    const outcome = OUTCOMES[event.type as keyof typeof OUTCOMES];
    if (outcome) metrics.reassignments.inc({ service: 'appointments', outcome });
  }
}
