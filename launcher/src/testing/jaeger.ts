/**
 * Jaeger's query API, as tests read traces back: the store `npm run infra:up` starts (OTLP/HTTP in, the
 * jest global setup exports TEST_OTLP_ENDPOINT and TEST_JAEGER_QUERY_URL).
 */

export interface JaegerKeyValue {
  key: string;
  type: string;
  value: unknown;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }[];
  tags: JaegerKeyValue[];
  logs: { timestamp: number; fields: JaegerKeyValue[] }[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerKeyValue[] }>;
}

/** Where to send spans and where to read them, or a clear failure: these tests never skip. */
export function jaegerFromEnv(): { otlpEndpoint: string; queryUrl: string } {
  const otlpEndpoint = process.env['TEST_OTLP_ENDPOINT'];
  const queryUrl = process.env['TEST_JAEGER_QUERY_URL'];
  if (!otlpEndpoint || !queryUrl) {
    throw new Error(
      'This test needs Jaeger: TEST_OTLP_ENDPOINT and TEST_JAEGER_QUERY_URL are unset. Run it through ' +
        '`npm test` (the global setup starts Jaeger with PostgreSQL and Kafka) or export both yourself.',
    );
  }
  return { otlpEndpoint, queryUrl: queryUrl.replace(/\/+$/, '') };
}

async function get<T>(url: string): Promise<T | undefined> {
  const response = await fetch(url);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} for ${new URL(url).pathname}`);
  return ((await response.json()) as { data: T }).data;
}

/** One trace by id, or undefined while Jaeger has none of its spans yet. */
export async function jaegerTrace(queryUrl: string, traceId: string): Promise<JaegerTrace | undefined> {
  const traces = await get<JaegerTrace[]>(`${queryUrl}/api/traces/${traceId}`);
  return traces?.[0];
}

/** Every trace with a span of any service that started at or after `sinceMs` (epoch milliseconds). */
export async function jaegerTracesSince(queryUrl: string, sinceMs: number): Promise<JaegerTrace[]> {
  const services = (await get<string[]>(`${queryUrl}/api/services`)) ?? [];
  const byId = new Map<string, JaegerTrace>();
  for (const service of services) {
    const query = new URLSearchParams({
      service,
      start: String(sinceMs * 1000),
      end: String((Date.now() + 60_000) * 1000),
      // Below the store's own bound (JAEGER_MAX_TRACES), which Jaeger refuses to search past.
      limit: '20000',
    });
    for (const trace of (await get<JaegerTrace[]>(`${queryUrl}/api/traces?${query}`)) ?? [])
      byId.set(trace.traceID, trace);
  }
  return [...byId.values()];
}

export function serviceOf(trace: JaegerTrace, span: JaegerSpan): string {
  return trace.processes[span.processID]?.serviceName ?? '';
}

export function tag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((candidate) => candidate.key === key)?.value;
}

/** Every text a span carries: its name, and each attribute and event attribute as `key=value`. */
export function spanTexts(span: JaegerSpan): string[] {
  return [
    span.operationName,
    ...span.tags.map((kv) => `${kv.key}=${String(kv.value)}`),
    ...span.logs.flatMap((log) => log.fields.map((kv) => `${kv.key}=${String(kv.value)}`)),
  ];
}
