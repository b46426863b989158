// `@clinic/testing/infra`: brings up the real PostgreSQL server, Kafka broker and Chromium the tests run
// against (jest's global setup, `npm run infra:*`, the benchmarks), the retrying download helpers, and the
// deletion of the topics tests and benches make.
export {
  envLines,
  infraDown,
  infraStatus,
  infraUp,
  postgresDown,
  postgresUp,
  restartKafka,
  InfraError,
  type InfraEndpoints,
  type InfraOptions,
} from './src/infra/infra';
export { parsePort, resolveConfig, type InfraConfig } from './src/infra/state';
export { jaegerRunning, jaegerUrls, startJaeger, stopJaeger } from './src/infra/jaeger';
export { ownJaegerConfig, removeOwnJaeger } from './src/infra/own-jaeger';
export { CHROMIUM_PATH, ensureChromium } from './src/infra/chromium';
export { lastOutputLine, run } from './src/infra/exec';
export { withRetries, type RetryOptions } from './src/infra/retry';
export {
  deleteTopicsWhere,
  isPrefixedStream,
  topicsOn,
  useBroker,
  type BrokerUse,
} from './src/infra/test-topics';
