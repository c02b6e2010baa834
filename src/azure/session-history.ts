// The SessionHistory port over Azure Monitor: one metrics.list per pool and range, split by InstanceId and Kind,
// aggregation Maximum per interval; per interval the pool's sessions are the sum of its series' maxima.
import type { Response as MetricsResponse } from '@azure/arm-monitor';
import type { CallOptions } from '../autoscale/scale-set.port.js';
import { SESSION_METRIC } from '../autoscale/session-metric.js';
import type { SessionHistory, SessionPoint } from '../autoscale/session-history.port.js';
import type { MetricWindow } from '../autoscale/session-metrics.port.js';
import { createMonitorClient, listSessionSeries, type MetricsConfig } from './metrics.js';

export function createSessionHistory(config: MetricsConfig): SessionHistory {
  const client = createMonitorClient(config);
  return {
    async series(target: string, window: MetricWindow, intervalMinutes: number, options: CallOptions = {}) {
      const response = await listSessionSeries(client, target, window, intervalMinutes, options);
      if (!response) return [];
      return sessionPoints(response);
    },
  };
}

/** Sums the per-(instance, kind) maxima of each interval; counts the instances that reported in it. */
export function sessionPoints(response: Pick<MetricsResponse, 'value'>): SessionPoint[] {
  const byTime = new Map<number, { sessions: number; vms: Set<string> }>();
  for (const metric of response.value) {
    for (const series of metric.timeseries ?? []) {
      const instanceId = series.metadatavalues?.find((m) => m.name?.value?.toLowerCase() === SESSION_METRIC.instanceDimension.toLowerCase())?.value ?? '?';
      for (const point of series.data ?? []) {
        if (point.maximum === undefined || point.maximum === null) continue;
        const t = new Date(point.timeStamp).getTime();
        let slot = byTime.get(t);
        if (!slot) byTime.set(t, (slot = { sessions: 0, vms: new Set() }));
        slot.sessions += point.maximum;
        slot.vms.add(instanceId);
      }
    }
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, s]) => ({ at: new Date(t), sessions: s.sessions, reportingVms: s.vms.size }));
}
