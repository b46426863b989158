import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { context, isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';

/**
 * The public edge does not trust a caller's trace context. Under the `parentbased_*` samplers a
 * `traceparent` ending in `-01` would force the request, and every subgraph, SQL query and consumer
 * behind it, to be sampled and exported; and the caller would choose the trace id (which the ratio
 * sampler decides by, and which our trace store would then hold). So on the gateway's own server the
 * W3C headers are removed before the http instrumentation reads them: every client request starts a new
 * trace, decided by our sampler alone. No link to the caller's context either: it would store the
 * caller's chosen id. Subgraphs (internal traffic) and event consumers still continue the context they
 * are given. `baggage` goes too: it is the caller's text. Free when tracing is off: deleting absent keys.
 */
export function distrustTraceContext(server: Server): void {
  // Looked up per call, not captured: the http instrumentation patches the prototype's `emit`, and this
  // own property must run before it whenever tracing was started.
  const prototypeEmit = () => (Object.getPrototypeOf(server) as Server).emit;
  server.emit = function emit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const headers = (args[0] as IncomingMessage).headers;
      delete headers.traceparent;
      delete headers.tracestate;
      delete headers.baggage;
    }
    return prototypeEmit().apply(this, [event, ...args] as Parameters<Server['emit']>);
  } as Server['emit'];
}

/**
 * Express middleware: answers with the W3C `traceresponse` header (Trace Context Level 2) naming the
 * trace this request started, so a client can quote it to support ("my booking hung", trace id ...) and
 * the on-call engineer opens that trace, and the log lines carrying its `trace_id`, at once. The caller no
 * longer chooses the id (distrustTraceContext), so this is how it learns it. Nothing when tracing is off.
 */
export function traceResponse(_request: unknown, response: ServerResponse, next: () => void): void {
  const span = trace.getSpanContext(context.active());
  if (span && isSpanContextValid(span))
    response.setHeader(
      'traceresponse',
      `00-${span.traceId}-${span.spanId}-0${span.traceFlags & TraceFlags.SAMPLED}`,
    );
  next();
}
