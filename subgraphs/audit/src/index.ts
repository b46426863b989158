export { startAuditService, type AuditServiceOptions } from './service';
export { connectAuditDatabase, type AuditDatabase } from './database';
export { recordEvent, recordEvents } from './trail/record-event';
export { verifyChain, type ChainVerification } from './trail/verify-chain';
export {
  checkpointFileIn,
  checkpointsInDataDir,
  exportCheckpoint,
  FileCheckpointSink,
  type Checkpoint,
  type CheckpointSink,
} from './trail/checkpoints';
