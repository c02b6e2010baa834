// Sessions per VM from the DSVMPool/ActiveSessions metric: one query per pool, never one per VM.
import type { CallOptions } from './scale-set.port.js';
import type { InstanceSessions } from './observation.js';

export interface MetricWindow {
  from: Date;
  to: Date;
}

export interface SessionMetrics {
  /**
   * Per instance id: the maximum over the window, the latest value and whether there was any data. Instances
   * that posted nothing in the window are absent (the caller treats them as "no data").
   */
  read(target: string, window: MetricWindow, options?: CallOptions): Promise<Map<string, InstanceSessions>>;
}
