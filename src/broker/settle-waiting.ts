// The settling window of an evaluation a connect triggered. People who ask at the same moment as the one who found no
// free seat are still writing their waiting rows, and a scale set takes one operation at a time (a scale-out ends only
// when its VMs exist, minutes later), so whoever this evaluation does not count waits for the next operation. It reads
// the pool's partition until nobody new has queued for a while, bounded, and the evaluation counts everyone it found.
import type { BrokerStore, CallOptions, PoolPartition } from './broker-store.port.js';
import { isLive } from './reservation.js';

/** Nobody new queued for this long (ms): the people asking at this moment have all queued. */
export const SETTLE_QUIET_MS = 1_000;
/**
 * The quiet wait is at least this many times the slowest partition read of the window: a connect reaches its waiting
 * row after a few storage round trips, so when storage answers slowly the people asking arrive as slowly.
 */
export const SETTLE_QUIET_READS = 4;
/** The window never lasts longer than this (ms), however steadily people keep arriving. */
export const SETTLE_MAX_MS = 10_000;
/** How long to wait between partition reads (ms). */
export const SETTLE_POLL_MS = 250;

export interface SettleWindow {
  quietMs: number;
  /** Multiple of the slowest read the quiet wait lasts at least. */
  quietReads: number;
  maxMs: number;
  pollMs: number;
  /** Waits (default: a timer); a test passes a virtual one. */
  sleep?: (ms: number) => Promise<void>;
  /** Elapsed-time clock in ms (default: performance.now): real time, even where the app clock is simulated. */
  nowMs?: () => number;
}

export const DEFAULT_SETTLE_WINDOW: SettleWindow = { quietMs: SETTLE_QUIET_MS, quietReads: SETTLE_QUIET_READS, maxMs: SETTLE_MAX_MS, pollMs: SETTLE_POLL_MS };

/**
 * Reads the pool's partition until no new user has queued for max(`quietMs`, `quietReads` × the slowest read), or
 * `maxMs` passed since the window opened; returns the last read. `now` (app clock) judges which waiting rows are live.
 * One storage read per `pollMs` at most. Storage errors propagate (the evaluation records them).
 */
export async function settleWaiting(store: BrokerStore, pool: string, now: Date, window: SettleWindow, options: CallOptions = {}): Promise<PoolPartition> {
  const sleep = window.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const nowMs = window.nowMs ?? (() => performance.now());
  const start = nowMs();
  let slowest = 0;
  const read = async () => {
    const t = nowMs();
    const p = await store.read(pool, options);
    slowest = Math.max(slowest, nowMs() - t);
    return p;
  };
  let partition = await read();
  const seen = new Set(liveUsers(partition, now));
  // Quiet is counted from the end of the read that last saw someone new, never from before a slow read.
  let lastNew = nowMs();
  for (;;) {
    const t = nowMs();
    const quiet = Math.max(window.quietMs, window.quietReads * slowest);
    const left = Math.min(lastNew + quiet, start + window.maxMs) - t;
    if (left <= 0 || options.abortSignal?.aborted) return partition;
    await sleep(Math.min(window.pollMs, left));
    partition = await read();
    const arrived = liveUsers(partition, now).filter((user) => !seen.has(user));
    if (arrived.length === 0) continue;
    for (const user of arrived) seen.add(user);
    lastNew = nowMs();
  }
}

function liveUsers(p: PoolPartition, now: Date): string[] {
  return p.waiting.filter((w) => isLive(w, now)).map((w) => w.user);
}
