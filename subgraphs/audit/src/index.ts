export { startAuditService, type AuditServiceOptions } from './service';
export { connectAuditDatabase, type AuditDatabase } from './database';
export { recordEvent, recordEvents } from './trail/record-event';
