import { metrics } from '@clinic/platform';

type MetricType = 'counter' | 'gauge' | 'histogram';

/** A prom-client instrument as it is at run time: its name, and the methods that tell its type. */
interface Instrument {
  name: string;
  observe?: unknown;
  dec?: unknown;
}

/**
 * The metrics the services export, by the name Prometheus scrapes, read from the one catalogue the
 * services register (libs/platform/src/metrics/catalogue.ts): what the alerts, dashboard and runbooks may
 * name. A real scrape is compared with the rules and the dashboard in dev/metrics/metrics.int.test.ts.
 */
export const METRIC_CATALOGUE: Readonly<Record<string, MetricType>> = {
  ...Object.fromEntries(
    Object.values(metrics).map((metric) => {
      // prom-client's typings leave out the name it keeps on every instrument.
      const instrument = metric as unknown as Instrument;
      const type: MetricType = instrument.observe ? 'histogram' : instrument.dec ? 'gauge' : 'counter';
      return [instrument.name, type];
    }),
  ),
  // prom-client's default metrics that the dashboard and runbooks use.
  process_cpu_seconds_total: 'counter',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
};

export const HISTOGRAMS: ReadonlySet<string> = new Set(
  Object.entries(METRIC_CATALOGUE)
    .filter(([, type]) => type === 'histogram')
    .map(([name]) => name),
);
