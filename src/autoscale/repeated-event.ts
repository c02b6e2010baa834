// A broken pool fails the same way every minute, and a dry-run pool plans the same change every minute: writing each
// of those would bury the real decisions (1,440 rows a day). Such an evaluation is recorded when something changes,
// and otherwise at most once per REPEAT_RECORD_MINUTES, so the log still shows it is going on (README "Autoscale events").
import type { ScaleEvent } from './scale-event.js';

/** An unchanged failure or dry-run plan is written again after this long. */
export const REPEAT_RECORD_MINUTES = 60;

/** What makes two evaluations "the same" for the log: the outcome, the error and the decision, not the wording. */
function signature(e: ScaleEvent): string {
  const p = e.plan;
  return JSON.stringify([
    e.kind, e.outcome, e.direction, e.error?.code, e.error?.step,
    p?.start, p?.newCapacity, p?.deallocate, p?.delete, p?.protect, p?.unprotect, p?.warnings,
  ]);
}

/**
 * True when `event` (a failure or a dry run that changed nothing) repeats `newest`, the pool's newest event, written
 * less than REPEAT_RECORD_MINUTES before it. Events that took effect (cooldowns are judged from them) or that carry
 * VMs left drained are always written.
 */
export function isRepeat(event: ScaleEvent, newest: ScaleEvent | undefined): boolean {
  if (!newest || (event.outcome !== 'failed' && event.outcome !== 'dry-run')) return false;
  if (event.outcome === 'failed' && (event.actedIn || event.actedOut)) return false;
  if (event.drained !== undefined || newest.drained !== undefined) return false;
  if (event.at.getTime() - newest.at.getTime() >= REPEAT_RECORD_MINUTES * 60_000) return false;
  return signature(event) === signature(newest);
}
