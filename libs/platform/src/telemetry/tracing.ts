import { propagation, trace, type Attributes, type Context } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { observeDroppedSpans } from '../metrics/catalogue';
import { GraphqlSpanNames } from './graphql-spans';

/** OTEL_TRACES_SAMPLER's values (the OpenTelemetry specification's, those this SDK implements). */
export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

export interface TracingOptions {
  /** The full OTLP/HTTP traces URL (…/v1/traces). */
  endpoint: string;
  serviceName: string;
  sampler: TracesSampler;
  /** The ratio for the traceidratio samplers, 0 to 1. */
  samplerRatio: number;
  /** How long one export may take before it is abandoned (and its spans counted as dropped). */
  exportTimeoutMs?: number;
  /** Most finished spans waiting for export; beyond it new spans are dropped (and counted), never waited for. */
  maxQueueSize?: number;
  /** How often a batch is sent. */
  scheduledDelayMs?: number;
}

export interface Tracing {
  /** Sends what is queued (bounded by the export timeout) and stops. */
  shutdown(): Promise<void>;
  /** Finished spans never delivered: the queue was full, or their export failed or timed out. */
  droppedSpans(): number;
}

/**
 * Starts OpenTelemetry tracing for this process: W3C trace context, the http (incoming and outgoing) and
 * pg instrumentations, and an OTLP/HTTP exporter behind a bounded batch queue. The instrumentations hook
 * `require`, so this runs before the services' modules are loaded (launcher/src/serve.ts, start.ts).
 * Export never blocks a request: a full queue drops, a dead collector times out in the background.
 */
export function startTracing(options: TracingOptions): Tracing {
  const maxQueueSize = options.maxQueueSize ?? 2_048;
  const exportTimeoutMs = options.exportTimeoutMs ?? 10_000;
  const counts = { queued: 0, dropped: 0 };
  const exporter = new CountingExporter(
    new OTLPTraceExporter({ url: options.endpoint, timeoutMillis: exportTimeoutMs }),
    counts,
  );
  const batch = new BatchSpanProcessor(exporter, {
    maxQueueSize,
    maxExportBatchSize: Math.min(512, maxQueueSize),
    scheduledDelayMillis: options.scheduledDelayMs ?? 1_000,
    exportTimeoutMillis: exportTimeoutMs,
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: samplerOf(options.sampler, options.samplerRatio),
    spanProcessors: [new GraphqlSpanNames(), new BoundedQueue(batch, counts, maxQueueSize)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Header values never become attributes (none listed), and health probes are not traced.
        headersToSpanAttributes: { client: {}, server: {} },
        ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz)\b/.test(request.url ?? ''),
        // A request that already carries trace context has its client span from its caller: the
        // gateway's subgraph fetches run inside @apollo/gateway's fetch span (graphql.subgraph.operation),
        // which injects it (ForwardingDataSource). A second span per fetch cost every request, sampled
        // or not, its attributes, context binding and listeners (docs/tracing.md, "Cost").
        ignoreOutgoingRequestHook: (options) => carriesTraceContext(options.headers),
      }),
      // enhancedDatabaseReporting stays off: parameter values never become attributes, only the SQL
      // text with its $1 placeholders.
      // requireParentSpan: SQL outside a request or event (the relay's polling, readiness probes, scrapes)
      // would otherwise be a root trace per statement, several a second per pod.
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  // require-in-the-middle patches a module the first time it sees it required, even one Node loaded
  // before (the launcher's configuration already imports the services): require them again now.
  /* eslint-disable @typescript-eslint/no-require-imports -- a require is the point: it is what gets patched */
  require('http');
  require('https');
  require('pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // otel_spans_dropped_total reads the count at every scrape, for as long as this tracer runs.
  const unobserve = observeDroppedSpans(() => counts.dropped);
  const running: Tracing = {
    async shutdown() {
      unobserve();
      unregister();
      await provider.shutdown().catch(() => undefined);
      trace.disable();
      propagation.disable();
      if (current === running) current = null;
    },
    droppedSpans: () => counts.dropped,
  };
  current = running;
  return running;
}

let current: Tracing | null = null;

function carriesTraceContext(headers: unknown): boolean {
  if (!headers || typeof headers !== 'object') return false;
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'traceparent') return true;
  return false;
}

/** Spans this process's tracing dropped so far (0 when tracing is off): for a metric. */
export function droppedSpans(): number {
  return current?.droppedSpans() ?? 0;
}

function samplerOf(kind: TracesSampler, ratio: number): Sampler {
  switch (kind) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/**
 * Caps what waits for export at `maxQueueSize` and counts what it drops. The batch processor has the same
 * bound but neither reports nor keeps its count, so the bound is kept here: `queued` is what was handed
 * to the batch processor and not yet to the exporter, so the batch processor itself never overflows.
 */
class BoundedQueue implements SpanProcessor {
  constructor(
    private readonly next: SpanProcessor,
    private readonly counts: { queued: number; dropped: number },
    private readonly maxQueueSize: number,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (!span.spanContext().traceFlags) return; // not sampled: never exported, nothing to drop
    if (this.counts.queued >= this.maxQueueSize) {
      this.counts.dropped++;
      return;
    }
    this.counts.queued++;
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

/** Counts spans leaving the queue and those whose export failed; scrubs what is sent (see `scrubbed`). */
class CountingExporter implements SpanExporter {
  constructor(
    private readonly next: SpanExporter,
    private readonly counts: { queued: number; dropped: number },
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.counts.queued = Math.max(0, this.counts.queued - spans.length);
    let settled = false;
    const settle = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      if (result.code !== ExportResultCode.SUCCESS) this.counts.dropped += spans.length;
      resultCallback(result);
    };
    try {
      this.next.export(spans.map(scrubbed), settle);
    } catch (error) {
      settle({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush?.() ?? Promise.resolve();
  }
}

/**
 * Attributes that may carry what a caller sent or who they are: header values (user agent, and the Host
 * header, which becomes the server's address and its full URL), the client's address, a method Node did
 * not know, paths and query strings, and error texts (a PostgreSQL error can quote the value it refused).
 * They are removed, or cut to what is safe, before a span leaves the process.
 */
const DROPPED_ATTRIBUTES = new Set([
  'http.user_agent',
  'http.host',
  'server.address',
  'net.host.name',
  'http.url',
  'url.full',
  'http.request.method_original',
  'user_agent.original',
  'user_agent.synthetic.type',
  'http.client_ip',
  'client.address',
  'client.port',
  'net.peer.ip',
  'net.sock.peer.addr',
  'network.peer.address',
  'url.query',
  'exception.message',
  'exception.stacktrace',
  'error.message',
  // @apollo/gateway's own, when asked to include it: the document with its literals.
  'graphql.document',
]);
/**
 * Request paths: a path the services serve as it is, the console's assets as their route template, and
 * anything else `other` (a caller can type any path, and any file name).
 */
const PATH_ATTRIBUTES = new Set(['http.target', 'url.path']);
const SERVED_PATHS = new Set([
  '/graphql',
  '/healthz',
  '/readyz',
  '/metrics',
  '/console',
  '/console/token',
  '/dev/notifications',
]);
function servedPath(value: string): string {
  const path = value.replace(/[?#].*$/s, '');
  if (SERVED_PATHS.has(path)) return path;
  return path.startsWith('/console/assets/') ? '/console/assets/:file' : 'other';
}

export function scrubAttributes(attributes: Attributes): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (DROPPED_ATTRIBUTES.has(key)) continue;
    result[key] = PATH_ATTRIBUTES.has(key) && typeof value === 'string' ? servedPath(value) : value;
  }
  return result;
}

function scrubbed(span: ReadableSpan): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    // The status code stays; its message is an error text.
    status: { code: span.status.code },
    attributes: scrubAttributes(span.attributes),
    links: span.links.map((link) => ({
      ...link,
      attributes: link.attributes && scrubAttributes(link.attributes),
    })),
    events: span.events.map((event) => ({
      ...event,
      attributes: event.attributes && scrubAttributes(event.attributes),
    })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
