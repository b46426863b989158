import { lastOutputLine, run, type RunOptions, type RunResult } from './exec';
import { sleep } from './state';

/** Waits before the second, third and fourth attempt of a download: four attempts in all. */
export const DOWNLOAD_RETRY_DELAYS_MS: readonly number[] = [5_000, 15_000, 45_000];

/**
 * apt-get's own retry of each file it fetches, and a wait for the dpkg lock (another apt-get on a busy
 * machine) instead of failing at once.
 */
export const APT_OPTIONS: readonly string[] = ['-o', 'Acquire::Retries=3', '-o', 'DPkg::Lock::Timeout=300'];

export interface RetryOptions {
  /** What is being downloaded, for the progress lines ("apt-get install postgresql"). */
  what: string;
  /** One wait per retry; attempts = delays + 1. */
  delaysMs?: readonly number[];
  log?: (line: string) => void;
  /** Tests pass a fake that records the waits. */
  wait?: (ms: number) => Promise<void>;
}

export interface RetriedResult extends RunResult {
  attempts: number;
}

/**
 * Calls `attempt` (1-based) until `failure` of its outcome is null, waiting longer before each retry: one
 * dropped connection to a registry or mirror must not fail a whole test run. Resolves with the last
 * outcome and how many attempts it took; the caller decides what a final failure means.
 */
export async function withRetries<T>(
  attempt: (attempt: number) => Promise<T>,
  failure: (outcome: T) => string | null,
  retry: RetryOptions,
): Promise<{ outcome: T; attempts: number }> {
  const delays = retry.delaysMs ?? DOWNLOAD_RETRY_DELAYS_MS;
  const wait = retry.wait ?? sleep;
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt(attempts);
    const reason = failure(outcome);
    const delay = delays[attempts - 1];
    if (reason === null || delay === undefined) return { outcome, attempts };
    retry.log?.(
      `${retry.what} failed (attempt ${attempts} of ${delays.length + 1}: ${reason}); ` +
        `retrying in ${Math.round(delay / 1000)} s`,
    );
    await wait(delay);
  }
}

/** A downloading command (apt-get) under withRetries. */
export async function runRetrying(
  command: string,
  args: string[],
  options: RunOptions,
  retry: RetryOptions,
): Promise<RetriedResult> {
  const { outcome, attempts } = await withRetries(
    () => run(command, args, options),
    (result) => (result.code === 0 ? null : lastOutputLine(result.output)),
    retry,
  );
  return { ...outcome, attempts };
}
