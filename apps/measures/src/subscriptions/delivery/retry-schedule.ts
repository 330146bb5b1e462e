/** How much a retry's wait may vary either way, so receivers that failed together are not retried together. */
export const RETRY_JITTER = 0.1;

export type AfterFailure = { retryInMs: number } | { exhausted: true };

/**
 * What follows the `failedAttempts`-th failed attempt at one change: the wait before the next attempt
 * (the schedule's entry, ± RETRY_JITTER), or nothing more once every entry is used. A change is thus
 * attempted at most `schedule.length + 1` times.
 */
export function afterFailure(
  schedule: readonly number[],
  failedAttempts: number,
  random: () => number = Math.random,
): AfterFailure {
  if (failedAttempts < 1) throw new Error('afterFailure counts failed attempts from 1');
  if (failedAttempts > schedule.length) return { exhausted: true };
  const seconds = schedule[failedAttempts - 1];
  return { retryInMs: Math.round(seconds * 1000 * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random())) };
}
