/**
 * Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`: a bound for a
 * condition that never comes, generous because a busy machine (2 cores, several test runs) is slow.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `condition` holds, as `eventually` does: fails after `timeoutMs` without it. */
export async function until(condition: () => boolean, timeoutMs = 90_000): Promise<void> {
  await eventually(async () => (condition() ? true : undefined), timeoutMs);
}
