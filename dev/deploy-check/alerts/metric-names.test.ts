import { HISTOGRAMS } from './metric-catalogue';
import { metricFamily, metricNamesInPromQL } from './metric-names';

describe('metricNamesInPromQL', () => {
  it('finds the metrics of a ratio with label matchers, ranges, aggregations and numbers', () => {
    expect(
      metricNamesInPromQL(
        'sum by (namespace, le) (rate(http_server_request_duration_seconds_bucket{service="gateway",le="1"}[5m]))\n' +
          '  / on (namespace) group_left sum without (pod) (rate(http_server_request_duration_seconds_count[1h] offset 1d))' +
          ' > (14.4 * 0.001) and 2e3 < bool 1',
      ),
    ).toEqual(['http_server_request_duration_seconds_bucket', 'http_server_request_duration_seconds_count']);
  });

  it('reads names that appear only as label values or strings as nothing', () => {
    expect(
      metricNamesInPromQL(
        'time() - (max by (group) (messaging_dead_letter_last_timestamp_seconds{topic="clinic_bookings_total"}) > 0)' +
          ' or label_replace(up, "x", "$1", "job", "(other_metric)")',
      ),
    ).toEqual(['messaging_dead_letter_last_timestamp_seconds', 'up']);
  });

  it('reads recording-rule names with colons, and Grafana variables and label_values queries', () => {
    expect(
      metricNamesInPromQL(
        'gateway:http_request_errors:ratio_rate1h{namespace="$namespace"} > 0 unless rate(live_subscribers[$__rate_interval])',
      ),
    ).toEqual(['gateway:http_request_errors:ratio_rate1h', 'live_subscribers']);
    expect(metricNamesInPromQL('label_values(outbox_backlog_rows, namespace)')).toEqual([
      'outbox_backlog_rows',
    ]);
  });
});

describe('metricFamily', () => {
  it("maps a histogram's series to its family, and leaves other names alone", () => {
    expect(metricFamily('live_fanout_lag_seconds_bucket', HISTOGRAMS)).toBe('live_fanout_lag_seconds');
    expect(metricFamily('http_server_request_duration_seconds_count', HISTOGRAMS)).toBe(
      'http_server_request_duration_seconds',
    );
    // A name that merely ends in _count is not a histogram's.
    expect(metricFamily('clinic_visit_count', HISTOGRAMS)).toBe('clinic_visit_count');
  });
});
