import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequest } from './request-context';

export type { DestinationStream, Logger } from 'pino';

/**
 * Structured JSON logs. Every line carries the service name and, inside a request or event handler,
 * its correlation id, and when that is traced its `trace_id` and `span_id`. Never log personal information: only ids and pseudonymous client ids.
 */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: () => {
      const request = currentRequest();
      // Inside a traced request or event handler, the trace and span it belongs to: logs and traces join.
      const span = trace.getSpanContext(context.active());
      return {
        ...(request ? { correlationId: request.correlationId } : {}),
        ...(span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {}),
      };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
