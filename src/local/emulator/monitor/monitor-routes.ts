// Azure Monitor routes: Metrics - List (read), Metric Definitions / Namespaces - List (metric-discovery.ts) and custom-metric ingestion (`POST {resourceId}/metrics`, which in
// Azure lives on https://{region}.monitoring.azure.com). Metrics exist only for resources the emulator knows.
import { errorResponse } from '../error-body.js';
import type { EmuRequest, EmuResponse, Route } from '../route.js';
import type { SimClock } from '../sim-clock.js';
import { MetricFilterError } from './metric-filter.js';
import type { MetricStore } from './metric-store.js';
import { MetricsQueryError, parseMetricsQuery, runMetricsQuery, type MetricDefinition } from './metrics-query.js';
import { parseCustomMetricPost } from './custom-metric-post.js';
import { createMetricDiscoveryRoutes, type MonitoredResource } from './metric-discovery.js';
import { VMSS_PLATFORM_METRICS, VMSS_PLATFORM_NAMESPACE } from './platform-metrics.js';

export type { MonitoredResource } from './metric-discovery.js';

export interface MonitorRoutesOptions {
  store: MetricStore;
  clock: SimClock;
  /** The scale set with this resource id, if the emulator has it. */
  resolve(resourceId: string): MonitoredResource | undefined;
}

export function createMonitorRoutes(o: MonitorRoutesOptions): Route[] {
  return [
    { method: 'GET', pattern: '/{resourceUri*}/providers/Microsoft.Insights/metrics', operation: 'monitor.metrics.list', family: 'arm', handle: (req) => listMetrics(req, o) },
    { method: 'POST', pattern: '/{resourceId*}/metrics', operation: 'monitor.metrics.ingest', family: 'monitor-ingest', handle: (req) => ingest(req, o) },
    ...createMetricDiscoveryRoutes(o),
  ];
}

function listMetrics(req: EmuRequest, o: MonitorRoutesOptions): EmuResponse {
  const resourceUri = `/${req.params.resourceUri!}`;
  const resource = o.resolve(resourceUri);
  if (!resource) return errorResponse('arm', 404, 'ResourceNotFound', `The Resource '${resourceUri}' was not found.`);
  try {
    const q = parseMetricsQuery(req.query, o.clock.now().getTime());
    const namespace = q.namespace ?? VMSS_PLATFORM_NAMESPACE;
    const platform = namespace.toLowerCase() === VMSS_PLATFORM_NAMESPACE.toLowerCase();
    if (q.metricnames.length === 0) q.metricnames.push(...(platform ? Object.keys(VMSS_PLATFORM_METRICS) : []));
    const definitions: MetricDefinition[] = [];
    for (const name of q.metricnames) {
      const known = platform ? Object.keys(VMSS_PLATFORM_METRICS).find((m) => m.toLowerCase() === name.toLowerCase()) : o.store.get(resource.id, namespace, name)?.name;
      // Azure answers 400 for a metric it has no configuration for: a platform metric it does not have, or a custom
      // metric never emitted for this resource (believed; the reporter's first post creates it).
      if (!known) return insightsError(400, 'BadRequest', `Failed to find metric configuration for provider: ${platform ? 'Microsoft.Compute' : namespace}, resource Type: virtualMachineScaleSets, metric: ${name}, Valid metrics: ${platform ? Object.keys(VMSS_PLATFORM_METRICS).join(',') : ''}`);
      definitions.push({ namespace: platform ? VMSS_PLATFORM_NAMESPACE : o.store.get(resource.id, namespace, name)!.namespace, name: known, unit: platform ? VMSS_PLATFORM_METRICS[known]!.unit : 'Unspecified' });
    }
    return { status: 200, body: runMetricsQuery(o.store, resource.id, resource.location, q, definitions) };
  } catch (e) {
    if (e instanceof MetricsQueryError || e instanceof MetricFilterError) return insightsError(400, 'BadRequest', e.message);
    throw e;
  }
}

function ingest(req: EmuRequest, o: MonitorRoutesOptions): EmuResponse {
  const resourceId = `/${req.params.resourceId!}`;
  const resource = o.resolve(resourceId);
  if (!resource) return errorResponse('monitor-ingest', 404, 'ResourceNotFound', `The resource '${resourceId}' was not found; custom metrics can only be posted for an existing resource.`);
  const wall = o.clock.speed ? { nowMs: Date.now(), speed: o.clock.speed } : undefined;
  const parsed = parseCustomMetricPost(req.body, o.clock.now().getTime(), wall);
  if (!parsed.ok) return errorResponse('monitor-ingest', 400, parsed.code, parsed.message);
  for (const s of parsed.samples) o.store.add({ ...s, resourceId: resource.id });
  return { status: 200 };
}

/** Metrics-API errors carry code and message at the top level. */
function insightsError(status: number, code: string, message: string): EmuResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { code, message } };
}
