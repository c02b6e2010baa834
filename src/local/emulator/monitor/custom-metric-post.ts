// Validates a custom-metric POST body as Azure Monitor's ingestion endpoint does, and turns it into samples.
import type { MetricSample } from './metric-store.js';

const MAX_AGE_MS = 20 * 60_000;
const MAX_FUTURE_MS = 5 * 60_000;
const MAX_DIMENSIONS = 10;

export type ParsedCustomMetricPost =
  | { ok: true; samples: Omit<MetricSample, 'resourceId'>[] }
  | { ok: false; code: 'InvalidPayload' | 'InvalidTimestamp'; message: string };

/** A scaled clock's wall-clock reference: real now, and simulated ms per real ms. */
export interface WallClock {
  nowMs: number;
  speed: number;
}

const inWindow = (timeMs: number, nowMs: number) => nowMs - timeMs <= MAX_AGE_MS && timeMs - nowMs <= MAX_FUTURE_MS;

/**
 * Validates a post as Azure does; `nowMs` is simulated now. Under a scaled clock (`npm start`, 60×) a real VM
 * reporter stamps wall-clock time, which the simulated clock leaves behind within seconds: a stamp inside Azure's
 * window of the wall clock is accepted and mapped to simulated time by its real age (sim now − real age × speed).
 * Stamps in simulated time (tests, the emulator's own reporters) are judged against simulated time as before.
 */
export function parseCustomMetricPost(body: unknown, nowMs: number, wall?: WallClock): ParsedCustomMetricPost {
  const invalid = (message: string): ParsedCustomMetricPost => ({ ok: false, code: 'InvalidPayload', message });
  const b = body as { time?: unknown; data?: { baseData?: Record<string, unknown> } } | undefined;
  if (!b || typeof b !== 'object') return invalid('The body must be JSON: { time, data: { baseData: { metric, namespace, dimNames, series } } }.');
  let timeMs = typeof b.time === 'string' ? Date.parse(b.time) : NaN;
  if (Number.isNaN(timeMs)) return invalid('"time" must be an ISO-8601 timestamp.');
  if (!inWindow(timeMs, nowMs) && wall && inWindow(timeMs, wall.nowMs)) {
    timeMs = Math.min(nowMs, nowMs - (wall.nowMs - timeMs) * wall.speed);
  }
  if (!inWindow(timeMs, nowMs)) {
    return { ok: false, code: 'InvalidTimestamp', message: `"time" ${b.time} is outside the accepted window: at most 20 minutes in the past and 5 minutes in the future (now ${new Date(nowMs).toISOString()}).` };
  }
  const base = b.data?.baseData;
  if (!base || typeof base !== 'object') return invalid('"data.baseData" is required.');
  const { metric, namespace, dimNames = [], series } = base as { metric?: unknown; namespace?: unknown; dimNames?: unknown; series?: unknown };
  if (typeof metric !== 'string' || metric === '') return invalid('"data.baseData.metric" must be a non-empty string.');
  if (typeof namespace !== 'string' || namespace === '') return invalid('"data.baseData.namespace" must be a non-empty string.');
  if (!Array.isArray(dimNames) || !dimNames.every((d) => typeof d === 'string' && d !== '')) return invalid('"data.baseData.dimNames" must be a list of dimension names.');
  if (dimNames.length > MAX_DIMENSIONS) return invalid(`At most ${MAX_DIMENSIONS} dimensions are allowed, got ${dimNames.length}.`);
  if (!Array.isArray(series) || series.length === 0) return invalid('"data.baseData.series" must be a non-empty list.');
  const samples: Omit<MetricSample, 'resourceId'>[] = [];
  for (const [k, s] of series.entries()) {
    const { dimValues = [], min, max, sum, count } = (s ?? {}) as Record<string, unknown>;
    if (!Array.isArray(dimValues) || dimValues.length !== dimNames.length || !dimValues.every((v) => typeof v === 'string')) {
      return invalid(`series[${k}].dimValues must hold ${dimNames.length} string value(s), one per dimNames entry.`);
    }
    if (![min, max, sum].every((v) => typeof v === 'number' && Number.isFinite(v))) return invalid(`series[${k}] needs numeric min, max and sum.`);
    if (!(Number.isInteger(count) && (count as number) >= 1)) return invalid(`series[${k}].count must be a positive integer.`);
    const dims: Record<string, string> = {};
    dimNames.forEach((d, j) => (dims[d as string] = dimValues[j] as string));
    samples.push({ namespace, metric, dims, timeMs, min: min as number, max: max as number, sum: sum as number, count: count as number });
  }
  return { ok: true, samples };
}
