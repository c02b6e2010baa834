// The SessionMetrics port over Azure Monitor (@azure/arm-monitor): one metrics.list per pool, split by InstanceId
// and Kind, aggregation Maximum per minute. A VM's sessions per minute are the sum of its kinds' maxima (an upper
// bound, which only ever makes a VM look busier).
import { MonitorClient, type Response as MetricsResponse } from '@azure/arm-monitor';
import type { InstanceSessions } from '../autoscale/observation.js';
import type { CallOptions } from '../autoscale/scale-set.port.js';
import { SESSION_METRIC, unbrokenSince } from '../autoscale/session-metric.js';
import type { MetricWindow, SessionMetrics } from '../autoscale/session-metrics.port.js';
import type { Config } from '../config.js';
import { credentialFor, tlsOptionsFor } from './credentials.js';
import { classifyArmError } from './vmss-errors.js';

export type MetricsConfig = Pick<Config, 'armEndpoint' | 'credential' | 'tlsCaFile' | 'armMaxRetries'>;

/** Timeseries per response; Monitor's default is 10, far fewer than instances × kinds. */
const MAX_SERIES = 1000;
/** What Monitor answers for a custom metric nobody has posted yet: no data, not an error. */
const NO_METRIC_YET = /failed to find metric configuration/i;

/** The Monitor client the session readers share: the app's credential, endpoint, TLS and ARM retry count. */
export function createMonitorClient(config: MetricsConfig): MonitorClient {
  return new MonitorClient(credentialFor(config), {
    endpoint: config.armEndpoint,
    tlsOptions: tlsOptionsFor(config),
    retryOptions: { maxRetries: config.armMaxRetries },
  });
}

/**
 * The session metric of a scale set over `window`, split by instance and kind, Maximum per `intervalMinutes`; one
 * `metrics.list` call (`top` MAX_SERIES, since Monitor returns 10 series by default). Undefined when the scale set has
 * no such metric yet (its VMs never posted it): that is "no data", not an error. Other failures are classified ARM errors.
 */
export async function listSessionSeries(client: MonitorClient, target: string, window: MetricWindow, intervalMinutes: number, options: CallOptions): Promise<MetricsResponse | undefined> {
  try {
    return await client.metrics.list(target.replace(/^\/+/, ''), {
      timespan: `${window.from.toISOString()}/${window.to.toISOString()}`,
      interval: `PT${intervalMinutes}M`,
      metricnames: SESSION_METRIC.name,
      metricnamespace: SESSION_METRIC.namespace,
      aggregation: 'Maximum',
      filter: `${SESSION_METRIC.instanceDimension} eq '*' and ${SESSION_METRIC.kindDimension} eq '*'`,
      top: MAX_SERIES,
      abortSignal: options.abortSignal,
    });
  } catch (e) {
    if (NO_METRIC_YET.test((e as Error).message ?? '')) return undefined;
    throw classifyArmError(e, `read ${SESSION_METRIC.namespace}/${SESSION_METRIC.name}`);
  }
}

export function createSessionMetrics(config: MetricsConfig): SessionMetrics {
  const client = createMonitorClient(config);
  return {
    async read(target: string, window: MetricWindow, options: CallOptions = {}) {
      const response = await listSessionSeries(client, target, window, 1, options);
      if (!response) return new Map();
      return sessionsByInstance(response);
    },
  };
}

/** Folds the per-(instance, kind) timeseries into one InstanceSessions per instance. */
export function sessionsByInstance(response: Pick<MetricsResponse, 'value'>): Map<string, InstanceSessions> {
  const perMinute = new Map<string, Map<number, number>>();
  for (const metric of response.value) {
    for (const series of metric.timeseries ?? []) {
      const instanceId = series.metadatavalues?.find((m) => m.name?.value?.toLowerCase() === SESSION_METRIC.instanceDimension.toLowerCase())?.value;
      if (instanceId === undefined) continue;
      let minutes = perMinute.get(instanceId);
      if (!minutes) perMinute.set(instanceId, (minutes = new Map()));
      for (const point of series.data ?? []) {
        if (point.maximum === undefined || point.maximum === null) continue; // no sample in that minute
        const t = new Date(point.timeStamp).getTime();
        minutes.set(t, (minutes.get(t) ?? 0) + point.maximum);
      }
    }
  }
  const result = new Map<string, InstanceSessions>();
  for (const [instanceId, minutes] of perMinute) {
    const times = [...minutes.keys()].sort((a, b) => a - b);
    if (times.length === 0) continue;
    const busy = times.filter((t) => minutes.get(t)! > 0);
    const last = times[times.length - 1]!;
    result.set(instanceId, {
      hasData: true,
      latest: minutes.get(last)!,
      maxInWindow: Math.max(...minutes.values()),
      firstSampleAt: new Date(times[0]!),
      lastSampleAt: new Date(last),
      lastBusyAt: busy.length ? new Date(busy[busy.length - 1]!) : undefined,
      unbrokenSince: new Date(unbrokenSince(times)!),
    });
  }
  return result;
}
