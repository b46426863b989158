export { startAuditService } from './service';
export { connectAuditDatabase, type AuditDatabase } from './database';
export { recordEvent, recordEvents } from './trail/record-event';
export { verifyChain } from './trail/verify-chain';
export {
  checkpointFileIn,
  checkpointsInDataDir,
  exportCheckpoint,
  FileCheckpointSink,
} from './trail/checkpoints';
