export { startAuditService, type AuditServiceOptions } from './service';
export { connectAuditDatabase, type AuditDatabase } from './database';
export { recordEvent } from './trail/record-event';
