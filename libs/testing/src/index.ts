// Helpers for tests and benchmarks only; production code never imports this package.
export { eventually, until } from './eventually';
export {
  LIFTED_LIMITS,
  postGraphQL,
  postGraphQLOverSse,
  type GraphQLRequestOptions,
  type GraphQLResponse,
} from './graphql-client';
export { logCapture } from './log-capture';
export { mockBookedEvent } from './mock-events';
export {
  createTestDatabases,
  databaseEnv,
  migratedTestDatabase,
  migrationsDir,
  realInfra,
  type TestDatabases,
} from './real-infra';
export { mockNeedsAttention, mockReassigned } from './mock-notification-events';
