// Sessions on a pool over hours or days, from the same DSVMPool/ActiveSessions metric autoscale reads: the demand
// line of the dashboard's timeline.
import type { CallOptions } from './scale-set.port.js';
import type { MetricWindow } from './session-metrics.port.js';

/** Sessions in one interval: the sum over the pool's VMs of each VM's peak (an upper bound of concurrent sessions). */
export interface SessionPoint {
  at: Date;
  sessions: number;
  /** VMs that posted a sample in the interval. */
  reportingVms: number;
}

export interface SessionHistory {
  /** One point per interval that has data, oldest first; intervals without any sample are absent. */
  series(target: string, window: MetricWindow, intervalMinutes: number, options?: CallOptions): Promise<SessionPoint[]>;
}
