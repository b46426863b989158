import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequest } from './request-context';

export type { DestinationStream, Logger } from 'pino';

/**
 * Structured JSON logs. Every line carries the service name and, inside a request or event handler,
 * its correlation id. Never log personal information: only ids and pseudonymous client ids.
 */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => {
      const request = currentRequest();
      return request ? { correlationId: request.correlationId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
