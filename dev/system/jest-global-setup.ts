import { ensureChromium, infraUp, topicsOn, useBroker } from '@clinic/testing/infra';
import { CLEANUP } from './jest-global-teardown';

/**
 * Integration tests run against a real PostgreSQL server, Kafka broker and Jaeger trace store. This brings
 * them up once per test run (idempotently: running ones are reused) and tells the workers where they are
 * (TEST_POSTGRES_URL, TEST_KAFKA_BROKERS, TEST_OTLP_ENDPOINT, TEST_JAEGER_QUERY_URL). The embedded default
 * stays what the unit tests and `npm start` use. SKIP_INFRA=1 (npm run test:unit) skips it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['SKIP_INFRA'] === '1') return;
  // CI with service containers (.github/workflows/ci.yml) names them itself, and so does a developer
  // pointing at running servers: then TEST_OTLP_ENDPOINT and TEST_JAEGER_QUERY_URL come from there too.
  const external = Boolean(process.env['TEST_KAFKA_BROKERS'] && process.env['TEST_POSTGRES_URL']);
  const endpoints = external ? null : await infraUp();
  // The console's end-to-end test drives headless Chromium; installed like PostgreSQL when missing.
  await ensureChromium((line) => console.log(line));
  if (!endpoints) return;
  // On our own broker, the topics this run makes are deleted at its end (jest-global-teardown.ts). A
  // broker that cannot list its topics now fails no test here: nothing is deleted then.
  const use = useBroker();
  try {
    const before = new Set(await topicsOn(endpoints.kafkaBrokers));
    (globalThis as Record<symbol, unknown>)[CLEANUP] = { before, use };
  } catch (error) {
    use.release();
    console.log(
      `test topics: none will be deleted (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  process.env['TEST_KAFKA_BROKERS'] = endpoints.kafkaBrokers;
  process.env['TEST_POSTGRES_URL'] = endpoints.databaseUrls.doctors.replace(/\/[^/?]+(\?.*)?$/, '/postgres');
  process.env['TEST_OTLP_ENDPOINT'] = endpoints.otlpEndpoint;
  process.env['TEST_JAEGER_QUERY_URL'] = endpoints.jaegerQueryUrl;
}
