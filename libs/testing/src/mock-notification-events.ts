import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clinic/contracts';
import { createEvent } from '@clinic/platform';

interface Placement {
  clientId?: string;
  appointmentId?: string;
  clinicId?: string;
  start?: string;
}

function placement(options: Placement) {
  const start = options.start ?? '2026-12-01T22:00:00.000Z';
  return {
    appointmentId: options.appointmentId ?? randomUUID(),
    slotId: randomUUID(),
    doctorId: randomUUID(),
    clinicId: options.clinicId ?? randomUUID(),
    clientId: options.clientId ?? randomUUID(),
    start,
    end: new Date(new Date(start).getTime() + 15 * 60_000).toISOString(),
  };
}

/** A valid `appointment.reassigned` event with random ids (mock data only), for tests and the bench. */
export function mockReassigned(options: Placement = {}): EventEnvelope<'appointment.reassigned'> {
  const payload = { ...placement(options), previousDoctorId: randomUUID() };
  return createEvent({
    type: 'appointment.reassigned',
    aggregateId: payload.appointmentId,
    actor: { role: 'System', subject: 'reassignment' },
    payload,
  });
}

/** A valid `appointment.needs-attention` event with random ids (mock data only). */
export function mockNeedsAttention(options: Placement = {}): EventEnvelope<'appointment.needs-attention'> {
  const payload = placement(options);
  return createEvent({
    type: 'appointment.needs-attention',
    aggregateId: payload.appointmentId,
    actor: { role: 'System', subject: 'reassignment' },
    payload,
  });
}
