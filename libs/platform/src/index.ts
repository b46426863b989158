// The mechanism library's public surface: servers, buses, outbox/inbox, databases, logging, identity
// signing. The clinic's vocabulary is @clinic/contracts. Import from the package, never from its folders.
export { createLogger, type DestinationStream, type Logger } from './logging/logger';
export {
  CORRELATION_HEADER,
  correlationIdFrom,
  currentRequest,
  withCorrelation,
} from './logging/request-context';
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
export {
  eventHeaders,
  type DeadLetter,
  type EventBus,
  type EventHandler,
  type Subscription,
} from './events/event-bus';
export { createEvent, type NewEvent } from './events/create-event';
export { KafkaEventBus, type KafkaBusOptions } from './events/kafka-bus';
export type { KafkaConnection } from './events/kafka-connection';
export {
  enqueueEvents,
  OutboxRelay,
  type OutboxRelayOptions,
  type RawSql,
  type TransactionalSql,
} from './events/outbox';
export { handleOnce, handleOnceBatch } from './events/inbox';
export { PollingLoop, type PollingLoopOptions } from './background/polling-loop';
export { InProcessEventBus } from './events/in-process-bus';
export {
  inTransaction,
  isRetryableTransactionFailure,
  type TransactionOptions,
} from './database/transaction';
export {
  KEY_REUSED_MESSAGE,
  runIdempotent,
  type IdempotentCall,
  type IdempotentOptions,
  type Outcome,
} from './idempotency/idempotent-mutation';
export {
  mutation,
  type Admitted,
  type IdField,
  type MutationSpec,
  type Refusal,
} from './idempotency/mutation';
export { applyMigrations, listMigrations, MigrationError, type MigrationResult } from './database/migrate';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres';
export { connectPrisma, createPgAdapter, type PrismaConnectionOptions } from './database/prisma-adapter';
export {
  badRequestHandler,
  closeServer,
  createHttpApp,
  listen,
  type ReadinessCheck,
} from './server/http-app';
export { maskError } from './server/mask-error';
export { clientMessage } from './server/redact-input-values';
export {
  checkOperationInput,
  isInstant,
  isLocalDate,
  strictScalar,
  useInputChecks,
  withStrictScalars,
  YEAR_RANGE,
} from './server/input-checks';
export {
  startSubgraphServer,
  type RequestContext,
  type RunningServer,
  type SubgraphServerOptions,
} from './server/subgraph-server';
export { groupedByKey, inKeyOrder, isUuid } from './entities/batching';
export { loadSubgraphSchema, probeDatabase } from './server/subgraph-schema';
export { AUDIT_TOPIC, auditRecord, type AuditRecord } from './events/audit-record';
export { applyPolicy } from './server/use-policy';
export {
  applyRequestBudget,
  MAX_REPRESENTATION_BYTES,
  SUBGRAPH_REQUEST_LIMITS,
} from './server/request-budget';
