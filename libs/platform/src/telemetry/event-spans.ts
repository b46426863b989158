import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type SpanContext,
} from '@opentelemetry/api';

/**
 * Trace context through events (docs/tracing.md, "Events"): the outbox row keeps the `traceparent` of the
 * request that wrote it; the relay publishes inside a PRODUCER span `publish <topic>` continuing it; each
 * message carries that span's `traceparent`; a consumer handles it inside a CONSUMER span `process <topic>`,
 * a child of the producer, so one booking is one trace. All of it is free when tracing is off: no provider,
 * no propagator, no traceparent.
 */

const tracer = () => trace.getTracer('@clinic/platform/events');
/** Traces given a span of their own by one batch, as the batch span's links are bounded (128). */
const MAX_SPANS_PER_BATCH = 128;

/** The active span's W3C traceparent, or null outside a sampled trace (or when tracing is off). */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'] ?? null;
}

/**
 * Writes the active context's `traceparent` (and `tracestate`) with `set`: for a request whose client span
 * is ours already (the gateway's subgraph fetch), so the http instrumentation need not add one. Nothing
 * when tracing is off.
 */
export function injectTraceContext(set: (name: string, value: string) => void): void {
  propagation.inject(context.active(), undefined, { set: (_carrier, name, value) => set(name, value) });
}

/** The context a traceparent continues (the root context when there is none or it is not valid). */
export function contextOf(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

function messagingAttributes(topic: string, operation: 'send' | 'process', extra: Attributes): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.type': operation,
    ...extra,
  };
}

/** Runs `work` (a publish) inside a PRODUCER span `publish <topic>`, a child of the stored context. */
export function inProducerSpan<T>(
  topic: string,
  traceparent: string | null,
  count: number,
  work: () => Promise<T>,
): Promise<T> {
  return inSpan(
    `publish ${topic}`,
    SpanKind.PRODUCER,
    contextOf(traceparent),
    messagingAttributes(topic, 'send', { 'messaging.batch.message_count': count }),
    [],
    work,
  );
}

/** Runs a handler inside a CONSUMER span `process <topic>`, a child of the message's producer span. */
export function inConsumerSpan<T>(
  topic: string,
  group: string,
  traceparent: string | null | undefined,
  work: () => Promise<T>,
): Promise<T> {
  return inSpan(
    `process ${topic}`,
    SpanKind.CONSUMER,
    contextOf(traceparent),
    messagingAttributes(topic, 'process', { 'messaging.consumer.group.name': group }),
    [],
    work,
  );
}

/**
 * Runs a batch handler inside one CONSUMER span linked to every message's publish span. When all come
 * from one trace (one request's events, the common case) the span is a child of the first publish instead
 * (linked to any others), so the request's trace shows its consumers; messages from several traces get a
 * new trace linked to each publish, and a span in each of those traces (inSpanPerTrace).
 */
export function inBatchConsumerSpan<T>(
  topic: string,
  group: string,
  traceparents: readonly (string | null | undefined)[],
  work: () => Promise<T>,
): Promise<T> {
  if (traceparents.every((traceparent) => !traceparent)) {
    return inConsumerSpan(topic, group, null, work);
  }
  // One link per publish span (a run of messages shares one), however many messages it sent.
  const distinct = [...new Set(traceparents)];
  const links: Link[] = distinct.flatMap((traceparent) => {
    const spanContext = trace.getSpanContext(contextOf(traceparent));
    return spanContext ? [{ context: spanContext }] : [];
  });
  // All from one trace (one request's events, the common case): a child of its first publish span, and
  // no link repeating that parent (trace stores then show the parent as a mere reference).
  const oneTrace =
    new Set(links.map((link) => link.context.traceId)).size === 1 && links.length === distinct.length;
  const [first, ...others] = links;
  const attributes = (count: number) =>
    messagingAttributes(topic, 'process', {
      'messaging.consumer.group.name': group,
      'messaging.batch.message_count': count,
    });
  if (oneTrace && first)
    return inSpan(
      `process ${topic}`,
      SpanKind.CONSUMER,
      trace.setSpanContext(ROOT_CONTEXT, first.context),
      attributes(traceparents.length),
      others,
      work,
    );
  return inSpan(
    `process ${topic}`,
    SpanKind.CONSUMER,
    ROOT_CONTEXT,
    attributes(traceparents.length),
    links,
    () => inSpanPerTrace(`process ${topic}`, traceparents, attributes, work),
  );
}

/**
 * Inside a batch span of several traces: a span in each trace, a child of its first publish and linked to
 * the batch span (which holds the work's own spans), lasting as long as the work. So each request's trace
 * still shows that, and when, its events were handled, however many requests a batch gathered.
 */
async function inSpanPerTrace<T>(
  name: string,
  traceparents: readonly (string | null | undefined)[],
  attributes: (count: number) => Attributes,
  work: () => Promise<T>,
): Promise<T> {
  const batch = trace.getActiveSpan()?.spanContext();
  const perTrace = new Map<string, { context: SpanContext; count: number }>();
  for (const traceparent of traceparents) {
    const spanContext = traceparent ? trace.getSpanContext(contextOf(traceparent)) : undefined;
    // An unsampled request's trace records nothing: a span there would be lost, or an orphan.
    if (!spanContext || (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) continue;
    const seen = perTrace.get(spanContext.traceId);
    if (seen) seen.count++;
    else if (perTrace.size < MAX_SPANS_PER_BATCH)
      perTrace.set(spanContext.traceId, { context: spanContext, count: 1 });
  }
  const spans = [...perTrace.values()].map(({ context: parent, count }) =>
    tracer().startSpan(
      name,
      { kind: SpanKind.CONSUMER, attributes: attributes(count), links: batch ? [{ context: batch }] : [] },
      trace.setSpanContext(ROOT_CONTEXT, parent),
    ),
  );
  try {
    return await work();
  } catch (error) {
    for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Attributes,
  links: Link[],
  work: () => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes, links }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      // The status only: an error's text can quote data.
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
