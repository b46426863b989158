import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';

interface RequestScope {
  correlationId: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `work` with a correlation id that every log line and published event inside it will carry. */
export function withCorrelation<T>(correlationId: string, work: () => T): T {
  return storage.run({ correlationId }, work);
}

export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's correlation id when it is a sane token; otherwise makes a new one. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && acceptable.test(value) ? value : randomUUID();
}
