import { metrics, PollingLoop, type Logger } from '@clinic/platform';
import type { AuditDatabase } from '../database';
import type { CheckpointSink } from './checkpoints';
import { verifyChain } from './verify-chain';

export interface ChainWatchOptions {
  /** Rest between verifications. */
  intervalMs: number;
  /** Exported chain heads to hold the chain to, as the verifyAuditChain query does. */
  checkpoints: CheckpointSink | null;
  logger: Logger;
}

/**
 * Verifies the whole hash chain in the background, every `intervalMs`, and counts each run on
 * clinic_audit_chain_verifications_total by outcome: the AuditChainBroken alert pages on a broken one
 * without anyone having to ask. The whole chain each time (in pages), not only the rows added since: an
 * attacker who rewrites old rows is the case this exists for.
 */
export function startChainWatch(db: AuditDatabase, options: ChainWatchOptions): { stop(): Promise<void> } {
  // Both series exist from the start, so the first broken run is an increase Prometheus can see.
  for (const outcome of ['ok', 'broken'] as const)
    metrics.auditVerifications.inc({ service: 'audit', outcome }, 0);
  const loop = new PollingLoop({
    work: async () => {
      const result = await verifyChain(db, {
        checkpoints: options.checkpoints ? await options.checkpoints.readAll() : [],
      });
      metrics.auditVerifications.inc({ service: 'audit', outcome: result.ok ? 'ok' : 'broken' });
      if (result.firstBadRow)
        options.logger.error(
          { sequence: result.firstBadRow.sequence.toString(), problem: result.firstBadRow.problem },
          'the audit hash chain is broken',
        );
      // Nothing queued: rest the interval.
      return 0;
    },
    logger: options.logger,
    failureMessage: 'audit chain verification failed to run; retrying',
    idleMs: options.intervalMs,
  });
  loop.start();
  return { stop: () => loop.stop() };
}
