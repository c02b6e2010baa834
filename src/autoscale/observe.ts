// The observe step: scale set, instances and sessions, read concurrently in three calls whatever the pool's size.
import type { InstanceSessions, PoolObservation } from './observation.js';
import type { VmssPolicy } from './policy.js';
import type { CallOptions, ScaleSet } from './scale-set.port.js';
import type { SessionMetrics } from './session-metrics.port.js';

/** Read a little more than the idle window, so a VM idle for exactly the window has a sample at its start. */
export const METRIC_WINDOW_MARGIN_MINUTES = 5;
/** Minutes of session metric the observe step reads: the idle window, or the stopped grace, plus a margin. */
export function metricWindowMinutes(policy: VmssPolicy): number {
  return Math.max(policy.idleMinutesBeforeScaleIn, policy.deallocateStoppedAfterMinutes) + METRIC_WINDOW_MARGIN_MINUTES;
}

const NO_DATA: InstanceSessions = { hasData: false, latest: 0, maxInWindow: 0 };

export async function observePool(
  pool: string,
  policy: VmssPolicy,
  scaleSet: ScaleSet,
  metrics: SessionMetrics,
  now: Date,
  options: CallOptions,
): Promise<PoolObservation> {
  const from = new Date(now.getTime() - metricWindowMinutes(policy) * 60_000);
  const [summary, instances, sessions] = await Promise.all([
    scaleSet.getCapacity(options),
    scaleSet.listInstances(options),
    metrics.read(policy.target, { from, to: now }, options),
  ]);
  return {
    pool,
    capacity: summary.capacity,
    provisioningState: summary.provisioningState,
    instances: instances.map((i) => ({ ...i, sessions: sessions.get(i.instanceId) ?? NO_DATA })),
  };
}
