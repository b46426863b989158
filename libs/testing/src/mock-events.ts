import { randomUUID } from 'node:crypto';
import type { EventActor, EventEnvelope } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';

/** A valid `appointment.booked` event with random ids, for tests and benchmarks (mock data only). */
export function mockBookedEvent(
  options: { appointmentId?: string; correlationId?: string; actor?: EventActor } = {},
): EventEnvelope<'appointment.booked'> {
  const appointmentId = options.appointmentId ?? randomUUID();
  const event = createEvent({
    type: 'appointment.booked',
    aggregateId: appointmentId,
    actor: options.actor ?? { role: 'System', subject: 'test' },
    payload: {
      appointmentId,
      slotId: randomUUID(),
      doctorId: randomUUID(),
      clinicId: randomUUID(),
      clientId: randomUUID(),
      start: '2026-12-01T09:00:00.000Z',
      end: '2026-12-01T09:30:00.000Z',
    },
  });
  return options.correlationId ? { ...event, correlationId: options.correlationId } : event;
}
