// Pure scheduling rules of the Batch emulator: which node a waiting task goes to, when an attempt ends, what an
// exit code means for retries, and which nodes a shrinking resize removes. The model applies them in simulated time.
import type { NodeRecord } from './batch-records.js';

/** A node that is started, not leaving, and has `requiredSlots` free; Batch's default 'spread' fill: least used first. */
export function pickNode(nodes: readonly NodeRecord[], requiredSlots: number, slotsPerNode: number, now: number): NodeRecord | undefined {
  let best: NodeRecord | undefined;
  for (const node of nodes) {
    if (node.leaving || node.readyAt > now) continue;
    if (slotsPerNode - node.usedSlots < requiredSlots) continue;
    if (!best || node.usedSlots < best.usedSlots) best = node;
  }
  return best;
}

/** When an attempt started at `start` ends; maxWallClockTime cuts it short as a timeout. */
export function planAttempt(start: number, durationMs: number, maxWallClockMs: number | undefined): { endAt: number; timedOut: boolean } {
  if (maxWallClockMs !== undefined && maxWallClockMs < durationMs) return { endAt: start + maxWallClockMs, timedOut: true };
  return { endAt: start + durationMs, timedOut: false };
}

export type AttemptOutcome = 'success' | 'retry' | 'failure';

/** Batch retries a non-zero exit while retryCount < maxTaskRetryCount (-1: without limit). */
export function attemptOutcome(exitCode: number, retryCount: number, maxTaskRetryCount: number): AttemptOutcome {
  if (exitCode === 0) return 'success';
  if (maxTaskRetryCount === -1 || retryCount < maxTaskRetryCount) return 'retry';
  return 'failure';
}

/** The exit code of attempt `attempt` (0-based): a list like [1, 1, 0] fails twice, then succeeds; the last repeats. */
export function exitCodeFor(exitCodes: readonly number[], attempt: number): number {
  return exitCodes[Math.min(attempt, exitCodes.length - 1)] ?? 0;
}

/** The `count` nodes a shrinking resize removes: starting ones first, then idle ones, then the least busy. */
export function nodesToRemove(nodes: readonly NodeRecord[], count: number, now: number): NodeRecord[] {
  const rank = (n: NodeRecord): number => (n.readyAt > now ? 0 : n.usedSlots === 0 ? 1 : 2 + n.usedSlots);
  return nodes
    .filter((n) => !n.leaving)
    .map((n, i) => ({ n, i }))
    .sort((a, b) => rank(a.n) - rank(b.n) || b.i - a.i)
    .slice(0, Math.max(0, count))
    .map(({ n }) => n);
}
