import { v7 as uuidv7 } from 'uuid';
import type { EventActor, EventEnvelope, EventPayload, EventType } from '@clinic/contracts';
import { currentRequest } from '../logging/request-context';

export interface NewEvent<T extends EventType> {
  type: T;
  aggregateId: string;
  actor: EventActor;
  payload: EventPayload<T>;
  causationId?: string;
}

/** Builds an envelope stamped with a time-ordered id and the current request's correlation id. */
export function createEvent<T extends EventType>(event: NewEvent<T>): EventEnvelope<T> {
  // The mapped envelope type does not narrow for a generic T; this object is exactly EventEnvelope<T>.
  return {
    id: uuidv7(),
    type: event.type,
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: currentRequest()?.correlationId ?? uuidv7(),
    causationId: event.causationId ?? null,
    actor: event.actor,
    aggregateId: event.aggregateId,
    payload: event.payload,
  } as EventEnvelope<T>;
}
