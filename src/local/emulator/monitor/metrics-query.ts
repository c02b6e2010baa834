// Azure Monitor "Metrics - List": parses the query string and answers from the metric store in the documented shape
// (one timeseries per value of each dimension the $filter names; `top` (default 10) and `orderby` when splitting).
import { formatIsoDuration, parseIsoDurationMs } from './iso-duration.js';
import { filterDimensions, filterMatches, parseMetricFilter, type MetricFilter } from './metric-filter.js';
import { lowerBound, type MetricStore, type StoredSeries } from './metric-store.js';

export type Aggregation = 'average' | 'minimum' | 'maximum' | 'total' | 'count';
const AGGREGATIONS: Aggregation[] = ['average', 'minimum', 'maximum', 'total', 'count'];

export interface MetricsQuery {
  startMs: number;
  endMs: number;
  /** undefined = FULL (one bucket over the timespan). */
  intervalMs: number | undefined;
  metricnames: string[];
  aggregations: Aggregation[];
  namespace: string | undefined;
  filter: MetricFilter | undefined;
  top: number;
  orderby: { aggregation: Aggregation; descending: boolean } | undefined;
}

export class MetricsQueryError extends Error {
  override readonly name = 'MetricsQueryError';
}

export function parseMetricsQuery(q: URLSearchParams, nowMs: number): MetricsQuery {
  const { startMs, endMs } = parseTimespan(q.get('timespan'), nowMs);
  const intervalText = q.get('interval') ?? 'PT1M';
  const intervalMs = intervalText.toUpperCase() === 'FULL' ? undefined : parseIsoDurationMs(intervalText);
  if (intervalText.toUpperCase() !== 'FULL' && (intervalMs === undefined || intervalMs < 60_000)) throw new MetricsQueryError(`Invalid interval "${intervalText}": use an ISO-8601 duration of at least PT1M, or FULL.`);
  const aggregations = parseAggregations(q.get('aggregation') ?? 'average');
  const filterText = q.get('$filter');
  let orderby: MetricsQuery['orderby'];
  const orderText = q.get('orderby');
  if (orderText) {
    const [agg = '', dir = 'desc'] = orderText.trim().split(/\s+/);
    const [aggregation] = parseAggregations(agg);
    if (!['asc', 'desc'].includes(dir.toLowerCase())) throw new MetricsQueryError(`Invalid orderby "${orderText}": use "<aggregation> asc|desc".`);
    orderby = { aggregation: aggregation!, descending: dir.toLowerCase() === 'desc' };
  }
  const top = q.has('top') ? Number(q.get('top')) : 10;
  if (!Number.isInteger(top) || top < 1) throw new MetricsQueryError(`Invalid top "${q.get('top')}": use a positive integer.`);
  return {
    startMs, endMs, intervalMs, aggregations, orderby, top,
    metricnames: (q.get('metricnames') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    namespace: q.get('metricnamespace') ?? undefined,
    filter: filterText ? parseMetricFilter(filterText) : undefined,
  };
}

export interface MetricDefinition {
  namespace: string;
  name: string;
  unit: string;
}

/** Answers one query over the metrics found for a resource; `definitions` are what the caller resolved per name. */
export function runMetricsQuery(store: MetricStore, resourceUri: string, region: string, q: MetricsQuery, definitions: MetricDefinition[]): Record<string, unknown> {
  const buckets = bucketStarts(q);
  const stamps = buckets.map((b) => iso(b.from)); // once per query, not per series
  const split = q.filter ? filterDimensions(q.filter) : [];
  const value = definitions.map((def) => {
    const stored = store.get(resourceUri, def.namespace, def.name);
    const groups = new Map<string, { dims: string[]; series: StoredSeries[] }>();
    if (!q.filter) groups.set('', { dims: [], series: [] });
    for (const s of stored?.series.values() ?? []) {
      if (q.filter && !filterMatches(q.filter, s.dims)) continue;
      const dims = split.map((d) => s.dims[d] ?? '');
      const key = dims.join('\u0000').toLowerCase();
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { dims, series: [] }));
      g.series.push(s);
    }
    let timeseries = [...groups.values()].map((g) => ({ g, points: buckets.map((b) => aggregate(g.series, Math.max(b.from, q.startMs), Math.min(b.to, q.endMs))) }));
    if (q.filter) {
      timeseries = timeseries.filter((t) => t.points.some((p) => p.count > 0));
      const by = q.orderby ?? { aggregation: q.aggregations[0]!, descending: true };
      const rank = (t: (typeof timeseries)[number]) => valueOf(aggregate(t.g.series, q.startMs, q.endMs), by.aggregation) ?? -Infinity;
      timeseries.sort((a, b) => (by.descending ? rank(b) - rank(a) : rank(a) - rank(b)) || a.g.dims.join().localeCompare(b.g.dims.join()));
      timeseries = timeseries.slice(0, q.top);
    }
    return {
      id: `${resourceUri}/providers/Microsoft.Insights/metrics/${def.name}`,
      type: 'Microsoft.Insights/metrics',
      name: { value: def.name, localizedValue: def.name },
      displayDescription: '',
      unit: def.unit,
      timeseries: timeseries.map((t) => ({
        // Azure answers dimension names in lower case.
        metadatavalues: split.map((d, k) => ({ name: { value: d, localizedValue: d }, value: t.g.dims[k]! })),
        data: t.points.map((p, k) => {
          const point: Record<string, unknown> = { timeStamp: stamps[k] };
          if (p.count > 0) for (const a of q.aggregations) point[a] = valueOf(p, a);
          return point;
        }),
      })),
      errorCode: 'Success',
    };
  });
  return {
    cost: buckets.length * Math.max(1, value.length),
    timespan: `${iso(q.startMs)}/${iso(q.endMs)}`,
    // interval=FULL is answered with the span it covers, e.g. PT4H (REST spec example GetMetricError.json,
    // Microsoft.Insights metrics 2024-02-01); the Python SDK cannot parse "FULL" as a duration.
    interval: formatIsoDuration(q.intervalMs ?? q.endMs - q.startMs),
    // Azure answers the namespace in lower case.
    namespace: (definitions[0]?.namespace ?? q.namespace ?? '').toLowerCase(),
    resourceregion: region,
    value,
  };
}

interface Aggregate {
  min: number;
  max: number;
  sum: number;
  count: number;
}

function aggregate(series: StoredSeries[], fromMs: number, toMs: number): Aggregate {
  const a: Aggregate = { min: Infinity, max: -Infinity, sum: 0, count: 0 };
  for (const s of series) {
    for (let k = lowerBound(s.points, fromMs); k < s.points.length && s.points[k]!.minuteMs < toMs; k++) {
      const p = s.points[k]!;
      a.min = Math.min(a.min, p.min);
      a.max = Math.max(a.max, p.max);
      a.sum += p.sum;
      a.count += p.count;
    }
  }
  return a;
}

function valueOf(a: Aggregate, aggregation: Aggregation): number | undefined {
  if (a.count === 0) return undefined;
  switch (aggregation) {
    case 'average':
      return a.sum / a.count;
    case 'minimum':
      return a.min;
    case 'maximum':
      return a.max;
    case 'total':
      return a.sum;
    case 'count':
      return a.count;
  }
}

function bucketStarts(q: MetricsQuery): { from: number; to: number }[] {
  if (q.intervalMs === undefined) return [{ from: q.startMs, to: q.endMs }];
  const buckets: { from: number; to: number }[] = [];
  for (let t = Math.floor(q.startMs / 60_000) * 60_000; t < q.endMs; t += q.intervalMs) buckets.push({ from: t, to: t + q.intervalMs });
  if (buckets.length > 10_000) throw new MetricsQueryError('The timespan holds more than 10000 intervals; use a larger interval.');
  return buckets;
}

function parseAggregations(text: string): Aggregation[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) if (!AGGREGATIONS.includes(n as Aggregation)) throw new MetricsQueryError(`Invalid aggregation "${n}": use Average, Minimum, Maximum, Total or Count.`);
  return names as Aggregation[];
}

function parseTimespan(text: string | null, nowMs: number): { startMs: number; endMs: number } {
  if (!text) return { startMs: nowMs - 3600_000, endMs: nowMs };
  const [a = '', b] = text.split('/');
  const time = (s: string) => (/^\d{4}-/.test(s) ? Date.parse(s) : NaN);
  let startMs: number;
  let endMs: number;
  if (b === undefined) {
    const d = parseIsoDurationMs(a);
    if (d === undefined) throw new MetricsQueryError(`Invalid timespan "${text}": use "start/end" in ISO-8601.`);
    [startMs, endMs] = [nowMs - d, nowMs];
  } else {
    startMs = time(a);
    endMs = Number.isNaN(time(b)) ? startMs + (parseIsoDurationMs(b) ?? NaN) : time(b);
  }
  if (Number.isNaN(startMs) || Number.isNaN(endMs) || startMs >= endMs) throw new MetricsQueryError(`Invalid timespan "${text}": use "start/end" in ISO-8601 with start before end.`);
  return { startMs, endMs };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
