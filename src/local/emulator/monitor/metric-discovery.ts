// Monitor's discovery routes for a resource: Metric Definitions - List and Metric Namespaces - List, as portals,
// `az monitor metrics list-definitions` and Grafana call them before reading metrics. The answers list the scale
// set's platform metrics and every custom metric posted for it, in the REST shapes of the spec examples
// (azure-rest-api-specs, specification/monitor/…/Microsoft.Insights: GetMetricDefinitions.json,
// GetMetricNamespaces.json).
import { errorResponse } from '../error-body.js';
import type { EmuRequest, EmuResponse, Route } from '../route.js';
import type { MetricStore, StoredMetric } from './metric-store.js';
import { VM_NAME_DIMENSION, VMSS_PLATFORM_METRICS, VMSS_PLATFORM_NAMESPACE } from './platform-metrics.js';

/** A resource Monitor answers for (the emulator's scale sets). */
export interface MonitoredResource {
  id: string;
  location: string;
}

export interface MetricDiscoveryOptions {
  store: MetricStore;
  resolve(resourceId: string): MonitoredResource | undefined;
}

const AGGREGATIONS = ['None', 'Average', 'Minimum', 'Maximum', 'Total', 'Count'];
const AVAILABILITIES = [
  { timeGrain: 'PT1M', retention: 'P93D' },
  { timeGrain: 'PT1H', retention: 'P93D' },
  { timeGrain: 'P1D', retention: 'P93D' },
];

/** The two discovery routes, under `{resourceUri}/providers/Microsoft.Insights/…` (matched case-insensitively). */
export function createMetricDiscoveryRoutes(o: MetricDiscoveryOptions): Route[] {
  return [
    { method: 'GET', pattern: '/{resourceUri*}/providers/Microsoft.Insights/metricDefinitions', operation: 'monitor.metricDefinitions.list', family: 'arm', handle: (req) => withResource(req, o, (r) => metricDefinitions(req, r, o.store)) },
    { method: 'GET', pattern: '/{resourceUri*}/providers/Microsoft.Insights/metricNamespaces', operation: 'monitor.metricNamespaces.list', family: 'arm', handle: (req) => withResource(req, o, (r) => metricNamespaces(r, o.store)) },
  ];
}

function withResource(req: EmuRequest, o: MetricDiscoveryOptions, handle: (r: MonitoredResource) => EmuResponse): EmuResponse {
  const resourceUri = `/${req.params.resourceUri!}`;
  const resource = o.resolve(resourceUri);
  if (!resource) return errorResponse('arm', 404, 'ResourceNotFound', `The Resource '${resourceUri}' was not found.`);
  return handle(resource);
}

/** Definitions of one namespace (`metricnamespace`, default the platform namespace), as the SDK pages them. */
function metricDefinitions(req: EmuRequest, r: MonitoredResource, store: MetricStore): EmuResponse {
  const namespace = req.query.get('metricnamespace') ?? VMSS_PLATFORM_NAMESPACE;
  const platform = namespace.toLowerCase() === VMSS_PLATFORM_NAMESPACE.toLowerCase();
  const definitions = platform
    ? Object.entries(VMSS_PLATFORM_METRICS).map(([name, m]) => definition(r, VMSS_PLATFORM_NAMESPACE, name, m.unit, 'Average', [VM_NAME_DIMENSION]))
    : store.metricsOf(r.id).filter((m) => m.namespace.toLowerCase() === namespace.toLowerCase()).map((m) => definition(r, m.namespace, m.name, 'Unspecified', 'Average', dimensionsOf(m)));
  return { status: 200, body: { value: definitions } };
}

function metricNamespaces(r: MonitoredResource, store: MetricStore): EmuResponse {
  const custom = [...new Set(store.metricsOf(r.id).map((m) => m.namespace))].filter((n) => n.toLowerCase() !== VMSS_PLATFORM_NAMESPACE.toLowerCase());
  const entry = (name: string, classification: 'Platform' | 'Custom') => ({
    id: `${r.id}/providers/microsoft.insights/metricNamespaces/${name.replace(/\//g, '-')}`,
    name: name.replace(/\//g, '-'),
    type: 'Microsoft.Insights/metricNamespaces',
    classification,
    properties: { metricNamespaceName: name },
  });
  return { status: 200, body: { value: [entry(VMSS_PLATFORM_NAMESPACE, 'Platform'), ...custom.sort().map((n) => entry(n, 'Custom'))] } };
}

function definition(r: MonitoredResource, namespace: string, name: string, unit: string, primary: string, dimensions: string[]): Record<string, unknown> {
  return {
    id: `${r.id}/providers/microsoft.insights/metricdefinitions/${name}`,
    resourceId: r.id,
    namespace,
    name: { value: name, localizedValue: name },
    isDimensionRequired: false,
    unit,
    primaryAggregationType: primary,
    supportedAggregationTypes: AGGREGATIONS,
    metricAvailabilities: AVAILABILITIES,
    dimensions: dimensions.map((d) => ({ value: d, localizedValue: d })),
  };
}

function dimensionsOf(m: StoredMetric): string[] {
  return [...m.dimensionNames].sort();
}
