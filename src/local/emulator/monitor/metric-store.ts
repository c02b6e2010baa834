// Stored metric values per resource, namespace, metric and dimension values, pre-aggregated per minute as Azure
// Monitor stores custom metrics (min, max, sum, count). Old minutes are pruned to bound memory.
export interface MinutePoint {
  minuteMs: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

export interface StoredSeries {
  /** Dimension values by lower-case dimension name. */
  dims: Record<string, string>;
  points: MinutePoint[];
}

export interface StoredMetric {
  namespace: string;
  name: string;
  series: Map<string, StoredSeries>;
  /** Dimension names as first posted (series keys are lower-case), for Metric Definitions. */
  dimensionNames: Set<string>;
}

export interface MetricSample {
  resourceId: string;
  namespace: string;
  metric: string;
  dims: Record<string, string>;
  timeMs: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

export class MetricStore {
  private readonly byResource = new Map<string, Map<string, StoredMetric>>();

  constructor(private readonly retentionMs = 24 * 3600_000) {}

  add(s: MetricSample): void {
    this.addPoint(this.series(s.resourceId, s.namespace, s.metric, s.dims), s);
  }

  /** The stored series for these dimension values, created if new; callers may keep it to add points quickly. */
  series(resourceId: string, namespace: string, metricName: string, dimensions: Record<string, string>): StoredSeries {
    const s = { resourceId, namespace, metric: metricName, dims: dimensions };
    const resourceKey = s.resourceId.toLowerCase();
    let metrics = this.byResource.get(resourceKey);
    if (!metrics) this.byResource.set(resourceKey, (metrics = new Map()));
    const metricKey = `${s.namespace}/${s.metric}`.toLowerCase();
    let metric = metrics.get(metricKey);
    if (!metric) metrics.set(metricKey, (metric = { namespace: s.namespace, name: s.metric, series: new Map(), dimensionNames: new Set() }));
    for (const k of Object.keys(s.dims)) if (![...metric.dimensionNames].some((n) => n.toLowerCase() === k.toLowerCase())) metric.dimensionNames.add(k);
    const dims: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.dims)) dims[k.toLowerCase()] = v;
    const seriesKey = Object.keys(dims).sort().map((k) => `${k}=${dims[k]!.toLowerCase()}`).join('\u0000');
    let series = metric.series.get(seriesKey);
    if (!series) metric.series.set(seriesKey, (series = { dims, points: [] }));
    return series;
  }

  addPoint(series: StoredSeries, p: { timeMs: number; min: number; max: number; sum: number; count: number }): void {
    merge(series.points, { minuteMs: Math.floor(p.timeMs / 60_000) * 60_000, min: p.min, max: p.max, sum: p.sum, count: p.count });
  }

  get(resourceId: string, namespace: string, metric: string): StoredMetric | undefined {
    return this.byResource.get(resourceId.toLowerCase())?.get(`${namespace}/${metric}`.toLowerCase());
  }

  /** Every metric stored for a resource (custom metrics posted for it, and the emitted session metric). */
  metricsOf(resourceId: string): StoredMetric[] {
    return [...(this.byResource.get(resourceId.toLowerCase())?.values() ?? [])];
  }

  /** Drops minutes older than the retention window before `nowMs`. */
  prune(nowMs: number): void {
    const cutoff = nowMs - this.retentionMs;
    for (const metrics of this.byResource.values())
      for (const m of metrics.values())
        for (const s of m.series.values()) {
          const keep = lowerBound(s.points, cutoff);
          if (keep > 0) s.points.splice(0, keep);
        }
  }

  clear(): void {
    this.byResource.clear();
  }
}

/** Index of the first point at or after `minuteMs` (points are sorted by minute). */
export function lowerBound(points: readonly MinutePoint[], minuteMs: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.minuteMs < minuteMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function merge(points: MinutePoint[], p: MinutePoint): void {
  const last = points[points.length - 1];
  const k = !last || last.minuteMs < p.minuteMs ? points.length : lowerBound(points, p.minuteMs);
  const existing = points[k];
  if (existing && existing.minuteMs === p.minuteMs) {
    existing.min = Math.min(existing.min, p.min);
    existing.max = Math.max(existing.max, p.max);
    existing.sum += p.sum;
    existing.count += p.count;
  } else points.splice(k, 0, p);
}
