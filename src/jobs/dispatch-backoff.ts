// How long a job waits before its next dispatch attempt while Azure Batch is throttling or unavailable. The wait is
// a property of the queue message (its initial visibility), so a long outage delays a job without spending the
// message's dequeue count, which only a crash of the dispatcher itself should use up.

/** First wait, in seconds; it doubles per attempt up to the configured maximum. */
export const FIRST_RETRY_SECONDS = 5;

/**
 * Seconds before dispatch attempt `attempts + 1`, given `attempts` made so far (≥ 1): 5, 10, 20, … capped at
 * `maxSeconds`, times a jitter in [0.5, 1] from `random` (so jobs that failed together do not return together).
 */
export function dispatchRetryDelaySeconds(attempts: number, maxSeconds: number, random: () => number = Math.random): number {
  const doublings = Math.min(Math.max(attempts, 1) - 1, 20);
  const cap = Math.min(maxSeconds, FIRST_RETRY_SECONDS * 2 ** doublings);
  return Math.max(1, Math.round(cap * (0.5 + random() / 2)));
}
