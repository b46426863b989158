import { metrics, observeDroppedSpans, outboxSources, registry } from './catalogue';

/** The catalogue agreed for issue 17 (docs/metrics.md): alert rules and dashboards are written against it. */
const AGREED: Record<string, { type: string; labels: string[] }> = {
  http_server_request_duration_seconds: {
    type: 'histogram',
    labels: ['http_route', 'http_request_method', 'http_response_status_code'],
  },
  graphql_operations_total: { type: 'counter', labels: ['operation', 'operation_type', 'outcome'] },
  graphql_subgraph_fetch_duration_seconds: { type: 'histogram', labels: ['subgraph', 'outcome'] },
  graphql_query_plan_cache_requests_total: { type: 'counter', labels: ['result'] },
  graphql_response_cache_lookups_total: { type: 'counter', labels: ['result'] },
  graphql_response_cache_evictions_total: { type: 'counter', labels: ['reason'] },
  graphql_response_cache_entries: { type: 'gauge', labels: [] },
  graphql_response_cache_bytes: { type: 'gauge', labels: [] },
  outbox_backlog_rows: { type: 'gauge', labels: [] },
  outbox_oldest_unpublished_age_seconds: { type: 'gauge', labels: [] },
  messaging_consumer_lag_messages: { type: 'gauge', labels: ['group', 'topic', 'partition'] },
  messaging_events_handled_total: { type: 'counter', labels: ['group', 'topic', 'outcome'] },
  messaging_dead_letters_total: { type: 'counter', labels: ['group', 'topic'] },
  messaging_dead_letter_last_timestamp_seconds: { type: 'gauge', labels: ['group', 'topic'] },
  live_subscribers: { type: 'gauge', labels: [] },
  live_events_fanned_out_total: { type: 'counter', labels: [] },
  live_slow_consumers_cut_total: { type: 'counter', labels: [] },
  live_fanout_lag_seconds: { type: 'histogram', labels: [] },
  clinic_bookings_total: { type: 'counter', labels: ['operation', 'outcome'] },
  clinic_reassignments_total: { type: 'counter', labels: ['outcome'] },
  clinic_notifications_total: { type: 'counter', labels: ['channel', 'outcome'] },
  clinic_vault_kms_requests_total: { type: 'counter', labels: ['operation', 'outcome'] },
  clinic_rate_limited_requests_total: { type: 'counter', labels: ['reason'] },
  clinic_audit_chain_verifications_total: { type: 'counter', labels: ['outcome'] },
  graphql_trusted_documents_total: { type: 'counter', labels: ['transport', 'outcome'] },
  db_client_connections_usage: { type: 'gauge', labels: ['pool', 'state'] },
  db_client_connection_pending_requests: { type: 'gauge', labels: ['pool'] },
  otel_spans_dropped_total: { type: 'counter', labels: [] },
};

/** Prometheus's name for a counter drops `_total`; prom-client names the metric without it. */
const registered = (name: string) =>
  registry.getSingleMetric(name) ?? registry.getSingleMetric(name.replace(/_total$/, ''));

describe('the metric catalogue', () => {
  it('holds every agreed metric, of its type, with exactly its labels and `service`', async () => {
    for (const [name, agreed] of Object.entries(AGREED)) {
      const metric = registered(name);
      expect({ name, found: metric !== undefined }).toEqual({ name, found: true });
      const json = await metric?.get();
      const labelNames = (metric as unknown as { labelNames: string[] }).labelNames;
      expect({ name, type: json?.type, labels: [...labelNames].sort() }).toEqual({
        name,
        type: agreed.type,
        labels: ['service', ...agreed.labels].sort(),
      });
    }
  });

  it('holds nothing else beside the default process and Node.js metrics', () => {
    const ours = Object.values(metrics).map((metric) => (metric as unknown as { name: string }).name);
    expect(ours.map((name) => (AGREED[name] ? name : `${name}_total`)).sort()).toEqual(
      Object.keys(AGREED).sort(),
    );
    const others = registry
      .getMetricsAsArray()
      .map((metric) => (metric as unknown as { name: string }).name)
      .filter((name) => !ours.includes(name));
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((name) => !/^(process|nodejs)_/.test(name))).toEqual([]);
  });

  it('refuses a label the catalogue does not declare, so no recording can add an unbounded one', () => {
    expect(() =>
      metrics.bookings.inc({ service: 'appointments', operation: 'holdSlot', clientId: 'x' } as never),
    ).toThrow(/clientId/);
  });

  it('reads scrape-time gauges at each scrape, and a source that fails or hangs leaves the scrape whole', async () => {
    const stops = [
      outboxSources.add(async () => ({ backlog: [{ labels: { service: 'doctors' }, value: 7 }] })),
      outboxSources.add(async () => {
        throw new Error('database down');
      }),
      outboxSources.add(() => new Promise(() => undefined)),
    ];
    const dropped = observeDroppedSpans(() => 3);
    try {
      const text = await registry.metrics();
      expect(text).toContain('outbox_backlog_rows{service="doctors"} 7');
      expect(text).toContain('otel_spans_dropped_total 3');
    } finally {
      for (const stop of stops) stop();
      dropped();
    }
    const text = await registry.metrics();
    expect(text).not.toContain('outbox_backlog_rows{service="doctors"}');
    expect(text).not.toContain('otel_spans_dropped_total 3');
  });
});
