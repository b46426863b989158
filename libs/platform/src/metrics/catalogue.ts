import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DatabaseName, SubgraphName } from '@clinic/contracts';
import { ScrapeTimeSources, type Sample } from './scrape-time';

/**
 * Every metric this system exports, in one place, like the error-code registry: created once per process
 * in one registry, which the metrics port serves (metrics-server.ts). Every series carries `service`, so
 * the all-in-one process serves one endpoint for every service and a pod serves its own. Label values
 * come from bounded sets only: never an id, a client id, a caller's operation name or anything a caller
 * typed. docs/metrics.md describes each metric.
 */

export type ServiceLabel = 'gateway' | SubgraphName;

export const registry = new Registry();
collectDefaultMetrics({ register: registry });
// Gauges whose names end in `_total`, which `promtool check metrics` refuses (only counters may); each is
// the sum of its unsuffixed twin by type (nodejs_active_handles{type=...}), which stays.
for (const name of [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
])
  registry.removeSingleMetric(name);

/** OpenTelemetry's advice for http.server.request.duration, in seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

const registers = [registry];

/** Sources read at scrape time, registered by what owns them (an outbox, a bus, a pool) while it runs. */
export const outboxSources = new ScrapeTimeSources<'service'>();
export const consumerLagSources = new ScrapeTimeSources<'service' | 'group' | 'topic' | 'partition'>();
export const poolSources = new ScrapeTimeSources<'service' | 'pool' | 'state'>();
const droppedSpanReaders = new Set<() => number>();

/** The service that owns each database: the vault is the patients service's. */
export const DATABASE_SERVICE: Record<DatabaseName, ServiceLabel> = {
  doctors: 'doctors',
  appointments: 'appointments',
  patients: 'patients',
  pii_vault: 'patients',
  audit: 'audit',
};

export const metrics = {
  httpDuration: new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP requests a service answered, by matched route template (or "other"), method and status.',
    labelNames: ['service', 'http_route', 'http_request_method', 'http_response_status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  graphqlOperations: new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations the gateway answered, by root field names, operation type and outcome (ok or the first error code).',
    labelNames: ['service', 'operation', 'operation_type', 'outcome'] as const,
    registers,
  }),
  subgraphFetchDuration: new Histogram({
    name: 'graphql_subgraph_fetch_duration_seconds',
    help: 'Duration of the gateway fetches to each subgraph, by outcome.',
    labelNames: ['service', 'subgraph', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  queryPlanCache: new Counter({
    name: 'graphql_query_plan_cache_requests_total',
    help: 'Query-plan cache lookups at the gateway, by result (hit or miss).',
    labelNames: ['service', 'result'] as const,
    registers,
  }),
  responseCacheLookups: new Counter({
    name: 'graphql_response_cache_lookups_total',
    help: 'Response-cache lookups at the gateway, by result (hit, collapsed, miss, uncacheable, untrusted, refreshed; entity_hit and entity_miss per entity representation).',
    labelNames: ['service', 'result'] as const,
    registers,
  }),
  responseCacheEvictions: new Counter({
    name: 'graphql_response_cache_evictions_total',
    help: 'Response-cache entries removed, by reason (invalidated, expired, capacity, dropped).',
    labelNames: ['service', 'reason'] as const,
    registers,
  }),
  responseCacheEntries: new Gauge({
    name: 'graphql_response_cache_entries',
    help: 'Answers the gateway response cache holds.',
    labelNames: ['service'] as const,
    registers,
  }),
  responseCacheBytes: new Gauge({
    name: 'graphql_response_cache_bytes',
    help: 'Serialised size of the answers the gateway response cache holds.',
    labelNames: ['service'] as const,
    registers,
  }),
  outboxBacklog: new Gauge({
    name: 'outbox_backlog_rows',
    help: 'Outbox rows not yet published (counted up to 100000).',
    labelNames: ['service'] as const,
    registers,
    async collect() {
      setAll(this, await outboxSources.read('backlog'));
    },
  }),
  outboxOldestAge: new Gauge({
    name: 'outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox row, 0 when there is none.',
    labelNames: ['service'] as const,
    registers,
    async collect() {
      setAll(this, await outboxSources.read('age'), Math.max);
    },
  }),
  consumerLag: new Gauge({
    name: 'messaging_consumer_lag_messages',
    help: "Messages a consumer group has yet to handle in a partition (log end offset minus the group's committed offset).",
    labelNames: ['service', 'group', 'topic', 'partition'] as const,
    registers,
    async collect() {
      setAll(this, await consumerLagSources.read('lag'));
    },
  }),
  eventsHandled: new Counter({
    name: 'messaging_events_handled_total',
    help: 'Events a consumer group handled, by outcome (ok, or failed: a handler attempt threw).',
    labelNames: ['service', 'group', 'topic', 'outcome'] as const,
    registers,
  }),
  deadLetters: new Counter({
    name: 'messaging_dead_letters_total',
    help: 'Messages a consumer group gave up on and set aside as dead letters.',
    labelNames: ['service', 'group', 'topic'] as const,
    registers,
  }),
  deadLetterLast: new Gauge({
    name: 'messaging_dead_letter_last_timestamp_seconds',
    help: 'Unix time of the newest dead letter of a consumer group and topic.',
    labelNames: ['service', 'group', 'topic'] as const,
    registers,
  }),
  liveSubscribers: new Gauge({
    name: 'live_subscribers',
    help: 'Live subscriptions open at the gateway.',
    labelNames: ['service'] as const,
    registers,
  }),
  liveFannedOut: new Counter({
    name: 'live_events_fanned_out_total',
    help: 'Event results delivered to live subscribers.',
    labelNames: ['service'] as const,
    registers,
  }),
  liveSlowConsumersCut: new Counter({
    name: 'live_slow_consumers_cut_total',
    help: 'Live streams cut off for falling too far behind.',
    labelNames: ['service'] as const,
    registers,
  }),
  liveFanoutLag: new Histogram({
    name: 'live_fanout_lag_seconds',
    help: "Time from an event's occurredAt to its fan-out to live subscribers at the gateway.",
    labelNames: ['service'] as const,
    buckets: LAG_BUCKETS,
    registers,
  }),
  bookings: new Counter({
    name: 'clinic_bookings_total',
    help: 'Booking mutations answered, by mutation and typed outcome (a replayed idempotency key is not counted again).',
    labelNames: ['service', 'operation', 'outcome'] as const,
    registers,
  }),
  reassignments: new Counter({
    name: 'clinic_reassignments_total',
    help: 'Automatic re-assignment outcomes: reassigned, needs_attention (nobody free) or returned (back with their doctor).',
    labelNames: ['service', 'outcome'] as const,
    registers,
  }),
  notifications: new Counter({
    name: 'clinic_notifications_total',
    help: 'Patient and clinic message attempts, by channel and outcome (sent or failed).',
    labelNames: ['service', 'channel', 'outcome'] as const,
    registers,
  }),
  vaultKms: new Counter({
    name: 'clinic_vault_kms_requests_total',
    help: 'Calls the PII vault made to AWS KMS, by operation and outcome.',
    labelNames: ['service', 'operation', 'outcome'] as const,
    registers,
  }),
  rateLimited: new Counter({
    name: 'clinic_rate_limited_requests_total',
    help: 'Requests the gateway refused as RATE_LIMITED (HTTP 429), by which limit refused them.',
    labelNames: ['service', 'reason'] as const,
    registers,
  }),
  trustedDocuments: new Counter({
    name: 'graphql_trusted_documents_total',
    help: 'Operations the gateway checked against its trusted documents, by transport (http or sse) and outcome (trusted, unknown_id, untrusted_allowed or untrusted_refused).',
    labelNames: ['service', 'transport', 'outcome'] as const,
    registers,
  }),
  auditVerifications: new Counter({
    name: 'clinic_audit_chain_verifications_total',
    help: 'Audit hash-chain verifications the audit service ran, by outcome (ok or broken).',
    labelNames: ['service', 'outcome'] as const,
    registers,
  }),
  dbConnections: new Gauge({
    name: 'db_client_connections_usage',
    help: 'Database pool connections, by state (used or idle).',
    labelNames: ['service', 'pool', 'state'] as const,
    registers,
    async collect() {
      setAll(this, await poolSources.read('connections'));
    },
  }),
  dbPending: new Gauge({
    name: 'db_client_connection_pending_requests',
    help: 'Callers waiting for a database pool connection.',
    labelNames: ['service', 'pool'] as const,
    registers,
    async collect() {
      setAll(this, await poolSources.read('pending'));
    },
  }),
  spansDropped: new Counter({
    name: 'otel_spans_dropped_total',
    help: 'Spans the trace exporter dropped (its queue was full or an export failed).',
    labelNames: ['service'] as const,
    registers,
    collect() {
      this.reset();
      // One tracer per process: `service` comes from the pod's default label (none all in one process).
      for (const read of droppedSpanReaders) this.inc(safely(read));
    },
  }),
};

/**
 * What became of an operation checked against the trusted documents (graphql_trusted_documents_total):
 * a registered document (by id or by its exact text), an id that is not registered, or operation text
 * that is not registered, run (log mode, or a role enforce mode leaves open) or refused (enforce mode).
 */
export type TrustedDocumentOutcome = 'trusted' | 'unknown_id' | 'untrusted_allowed' | 'untrusted_refused';

/** What reasons the gateway's rate limits refuse for (clinic_rate_limited_requests_total). */
export type RateLimitReason = 'address_minute' | 'address_pacing' | 'subject_minute' | 'live_groups';

/**
 * Feeds otel_spans_dropped_total from the trace exporter's own count (tracing's `droppedSpans()`), read
 * at every scrape. The process's tracer is one, whatever services it runs: in a pod the series carries
 * the pod's `service` (the metrics server's default label). Returns how to stop.
 */
export function observeDroppedSpans(read: () => number): () => void {
  droppedSpanReaders.add(read);
  return () => droppedSpanReaders.delete(read);
}

function safely(read: () => number): number {
  try {
    const value = read();
    return Number.isFinite(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/** Replaces a scrape-time gauge's series with these samples; equal label sets are combined (summed). */
function setAll<L extends string>(
  gauge: Gauge<L>,
  samples: Sample<L>[],
  combine: (a: number, b: number) => number = (a, b) => a + b,
): void {
  const combined = new Map<string, Sample<L>>();
  for (const sample of samples) {
    const key = JSON.stringify(Object.entries(sample.labels).sort());
    const seen = combined.get(key);
    combined.set(key, seen ? { ...seen, value: combine(seen.value, sample.value) } : sample);
  }
  gauge.reset();
  for (const { labels, value } of combined.values()) gauge.set(labels, value);
}
