// The mechanism library's public surface: servers, buses, outbox/inbox, databases, logging, identity
// signing. The clinic's vocabulary is @clinic/contracts. Import from the package, never from its folders.
export { createLogger, type DestinationStream, type Logger } from './logging/logger';
export { CORRELATION_HEADER, withCorrelation } from './logging/request-context';
export {
  generateInternalIdentitySecret,
  INTERNAL_IDENTITY_HEADER,
  signInternalIdentity,
} from './identity/internal-identity';
export {
  API_AUDIENCE,
  DEV_ISSUER,
  issueDevToken,
  loadOrCreateDevSigningKey,
  type DevSigningKey,
} from './identity/dev-issuer';
export { type DeadLetter, type EventBus, type Subscription } from './events/event-bus';
export { createEvent } from './events/create-event';
export { KafkaEventBus } from './events/kafka-bus';
export type { KafkaConnection } from './events/kafka-connection';
export { enqueueEvents, OutboxRelay, type RawSql } from './events/outbox';
export { handleOnce, handleOnceBatch } from './events/inbox';
export { PollingLoop } from './background/polling-loop';
export { InProcessEventBus } from './events/in-process-bus';
export { inTransaction } from './database/transaction';
export {
  isReplayed,
  runIdempotent,
  type IdempotentOptions,
  type Outcome,
} from './idempotency/idempotent-mutation';
export { mutation, type IdField, type Refusal } from './idempotency/mutation';
export { applyMigrations } from './database/migrate';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres';
export { connectPrisma, directRead, DirectReadError } from './database/prisma-adapter';
export {
  badRequestHandler,
  closeServer,
  createHttpApp,
  DEFAULT_DRAIN_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  listen,
  type ReadinessCheck,
  payloadTooLarge,
} from './server/http-app';
export { maskError } from './server/mask-error';
export { checkOperationInput, useInputChecks } from './server/input-checks';
export {
  startSubgraphServer,
  type RequestContext,
  type RunningServer,
  type ServiceOptions,
} from './server/subgraph-server';
export { groupedByKey, inKeyOrder, isUuid } from './entities/batching';
export { probeDatabase } from './server/subgraph-schema';
export { AUDIT_TOPIC, auditRecord } from './events/audit-record';
export { SUBGRAPH_REQUEST_LIMITS } from './server/request-budget';
export {
  metrics,
  type RateLimitReason,
  type ServiceLabel,
  type TrustedDocumentOutcome,
} from './metrics/catalogue';
export { startMetricsServer, type MetricsServer } from './metrics/metrics-server';
// For tests: every finished span in memory (the gateway's tests observe Apollo's parse through it).
export { recordSpans } from './telemetry/span-recorder';
export {
  droppedSpans,
  startTracing,
  TRACES_SAMPLERS,
  type Tracing,
  type TracingOptions,
  type TracesSampler,
} from './telemetry/tracing';
export { graphqlTracingPlugin, withGraphqlOperation } from './telemetry/graphql-spans';
export { distrustTraceContext, traceResponse } from './telemetry/public-edge';
export { injectTraceContext } from './telemetry/event-spans';
