// A scale set busy with an operation (provisioningState Updating, Deleting, Creating) takes no new one, so autoscale
// holds off. Azure says no "since when", so each evaluation carries the time it first saw the state (in the pool view)
// and, past STUCK_UPDATING_MINUTES, reports the scale set as stuck: one event and a status warning for the admin.

const MINUTE = 60_000;

/**
 * Minutes a scale set may stay busy before it counts as stuck. Longer than any operation autoscale starts itself: a
 * scale-out's create is expected in 5 min (EXPECTED_CREATE_MINUTES), a start in 2, and a drain's Run Command lifts
 * itself after 15 (DRAIN_MINUTES); 30 min of Updating is someone else's long operation or one that hangs.
 */
export const STUCK_UPDATING_MINUTES = 30;

/** Scale-set states in which it accepts no new operation. */
const BUSY_SCALE_SET = /^(updating|deleting|creating)$/i;

export const isBusyScaleSet = (provisioningState: string): boolean => BUSY_SCALE_SET.test(provisioningState);

/** When the current busy spell began: the time carried from earlier evaluations, else now; undefined when not busy. */
export function busySinceOf(provisioningState: string, carried: Date | undefined, now: Date): Date | undefined {
  if (!isBusyScaleSet(provisioningState)) return undefined;
  return carried && carried.getTime() <= now.getTime() ? carried : now;
}

/** The busy spell has lasted longer than STUCK_UPDATING_MINUTES. */
export function isStuck(busySince: Date | undefined, now: Date): boolean {
  return busySince !== undefined && now.getTime() - busySince.getTime() > STUCK_UPDATING_MINUTES * MINUTE;
}

/**
 * The warning for a stuck scale set: the state, since when (ISO, so the text stays the same from tick to tick and the
 * event log writes it once), and what the admin should check.
 */
export function stuckWarning(provisioningState: string, busySince: Date): string {
  return `scale set ${provisioningState} since ${busySince.toISOString()} (over ${STUCK_UPDATING_MINUTES} min, longer than any operation autoscale starts): no VM can be started or removed until it ends; check the scale set's activity log in Azure for the operation that holds it`;
}
