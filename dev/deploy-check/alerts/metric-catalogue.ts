/**
 * The metric catalogue of issue 17, as Prometheus scrapes it: the names the services export and the
 * alerts, dashboard and runbooks may use. Every series also carries `service`. Keep in step with the
 * metrics the services register (a test compares a real scrape with the rules and the dashboard).
 */
export const METRIC_CATALOGUE = {
  http_server_request_duration_seconds: 'histogram',
  graphql_operations_total: 'counter',
  graphql_subgraph_fetch_duration_seconds: 'histogram',
  graphql_query_plan_cache_requests_total: 'counter',
  outbox_backlog_rows: 'gauge',
  outbox_oldest_unpublished_age_seconds: 'gauge',
  messaging_consumer_lag_messages: 'gauge',
  messaging_events_handled_total: 'counter',
  messaging_dead_letters_total: 'counter',
  messaging_dead_letter_last_timestamp_seconds: 'gauge',
  live_subscribers: 'gauge',
  live_events_fanned_out_total: 'counter',
  live_slow_consumers_cut_total: 'counter',
  live_fanout_lag_seconds: 'histogram',
  clinic_bookings_total: 'counter',
  clinic_reassignments_total: 'counter',
  clinic_notifications_total: 'counter',
  clinic_vault_kms_requests_total: 'counter',
  clinic_rate_limited_requests_total: 'counter',
  clinic_audit_chain_verifications_total: 'counter',
  db_client_connection_count: 'gauge',
  db_client_connection_pending_requests: 'gauge',
  otel_spans_dropped_total: 'counter',
  // prom-client's default metrics that the dashboard and runbooks use.
  process_cpu_seconds_total: 'counter',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
} as const satisfies Record<string, 'counter' | 'gauge' | 'histogram'>;

export type CatalogueMetric = keyof typeof METRIC_CATALOGUE;

export const HISTOGRAMS: ReadonlySet<string> = new Set(
  Object.entries(METRIC_CATALOGUE)
    .filter(([, type]) => type === 'histogram')
    .map(([name]) => name),
);
