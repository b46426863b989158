// The clinic's shared vocabulary. It imports no other workspace, so every service and library can use it.
export * from './topology';
export * from './identity';
export { appError, ERROR_CODES, isErrorCode, renderErrorCodesMarkdown, type ErrorCode } from './error-codes';
export { DEAD_LETTER_TOPIC, TOPICS, topicManifest, type TopicKey } from './events/topics';
export {
  InvalidEventError,
  parseEnvelope,
  type EventActor,
  type EventEnvelope,
  type EventPayload,
  type EventType,
} from './events/catalogue';
export { checkIdempotencyKey, invalid, notAllowed, type InvalidInput, type NotAllowed } from './outcomes';
export {
  CACHEABLE_FIELDS,
  CALLERS,
  POLICY_TABLE,
  callerOf,
  decide,
  isRootCoordinate,
  policyRow,
  refusalCode,
  refusalMessage,
  renderPolicyMarkdown,
  type Caller,
} from './policy-table';
