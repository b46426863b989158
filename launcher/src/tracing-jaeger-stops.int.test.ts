import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { eventually } from '@clinic/testing';
import {
  jaegerUrls,
  ownJaegerConfig,
  removeOwnJaeger,
  startJaeger,
  stopJaeger,
  type InfraConfig,
} from '@clinic/testing/infra';
import { book, planBookings, type BookingAnswer } from './testing/bookings';
import { startPodSystem, type Pod, type PodSystem } from './testing/pods';

/**
 * Issue 17, bad input and failure, the literal case: the five services export to a Jaeger of this test's
 * own, which is stopped mid-run. Bookings before and after it stops all succeed, none waits for an export,
 * and what could no longer be sent is counted on every pod's metrics port.
 */

/** The exporter's timeout, set explicitly: a request that waited for an export would take at least this. */
const EXPORT_TIMEOUT_MS = 20_000;
const BEFORE = 4;
const AFTER = 6;
let config: InfraConfig;
let system: PodSystem;

beforeAll(async () => {
  config = await ownJaegerConfig('jaeger-stops-test-');
  const { otlpEndpoint } = jaegerUrls(await startJaeger(config));
  system = await startPodSystem({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: String(EXPORT_TIMEOUT_MS),
      OTEL_BSP_MAX_QUEUE_SIZE: '64',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
}, 600_000);

afterAll(async () => {
  await system?.stop();
  if (config) await removeOwnJaeger(config);
});

/** otel_spans_dropped_total as the pod's metrics port reports it now. */
async function droppedOnMetricsPort(pod: Pod): Promise<number> {
  const scrape = await fetch(`http://127.0.0.1:${pod.metricsPort}/metrics`);
  const match = /^otel_spans_dropped_total(?:\{[^}]*\})? (\d+)/m.exec(await scrape.text());
  if (!match?.[1]) throw new Error(`${pod.service} exports no otel_spans_dropped_total`);
  return Number(match[1]);
}

describe('Jaeger stopped mid-run', () => {
  it('holds no booking before or after: all succeed, none waits for the export, the drops are counted', async () => {
    const db = connectAppointmentsDatabase(system.databaseUrls.appointments);
    const planned = await planBookings(db, BEFORE + AFTER, 'jaeger-stops').finally(() => db.$disconnect());
    const durations: number[] = [];
    const answers: BookingAnswer[] = [];
    const bookAll = async (bookings: typeof planned) => {
      for (const booking of bookings) {
        const started = performance.now();
        answers.push(await book(system.gatewayUrl, booking, system.token));
        durations.push(performance.now() - started);
      }
    };

    await bookAll(planned.slice(0, BEFORE));
    // The positive control: the bookings' spans reached this Jaeger, through the consumer that appends
    // them to the audit trail.
    const { queryUrl } = jaegerUrls({
      otlpHttpPort: config.jaegerOtlpHttpPort,
      queryPort: config.jaegerQueryPort,
    });
    await eventually(async () => {
      const services = ((await (await fetch(`${queryUrl}/api/services`)).json()) as { data: string[] | null })
        .data;
      return ['gateway', 'appointments', 'audit'].every((name) => services?.includes(name))
        ? true
        : undefined;
    });
    const pods = Object.values(system.pods);
    const droppedBefore = new Map(
      await Promise.all(pods.map(async (pod) => [pod.service, await droppedOnMetricsPort(pod)] as const)),
    );

    await stopJaeger(config);
    // Gone: nothing answers on its ports any more.
    await expect(fetch(`${queryUrl}/api/services`)).rejects.toThrow();
    await bookAll(planned.slice(BEFORE));

    expect(answers).toEqual(Array.from({ length: BEFORE + AFTER }, () => ({ kind: 'booked' })));
    // Not a latency budget: a booking that waited for an export would take the whole export timeout.
    for (const ms of durations) expect(ms).toBeLessThan(EXPORT_TIMEOUT_MS / 2);
    // Every process lost spans once Jaeger was gone, and says so where the TraceSpansDropped alert reads.
    for (const pod of pods)
      await eventually(async () =>
        (await droppedOnMetricsPort(pod)) > (droppedBefore.get(pod.service) ?? 0) ? true : undefined,
      );
  });
});
