// Helpers for tests and benchmarks only; production code never imports this package.
export { mockBookedEvent } from './mock-events';
