import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../../src/local/emulator/monitor/metric-store.js';

const R = '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachineScaleSets/p';
const t0 = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3600_000;

function add(store: MetricStore, timeMs: number, value: number): void {
  store.add({ resourceId: R, namespace: 'DSVMPool', metric: 'ActiveSessions', dims: { InstanceId: '0', Kind: 'ssh' }, timeMs, min: value, max: value, sum: value, count: 1 });
}
const minutes = (store: MetricStore): number[] =>
  [...(store.get(R, 'DSVMPool', 'ActiveSessions')?.series.values() ?? [])].flatMap((s) => s.points.map((p) => p.minuteMs));

describe('metric store', () => {
  it('keeps 24 simulated hours: prune drops the minutes older than that and keeps the rest', () => {
    const store = new MetricStore();
    add(store, t0, 1);
    add(store, t0 + 2 * HOUR, 2);
    add(store, t0 + 25 * HOUR, 3);
    store.prune(t0 + 25 * HOUR);
    expect(minutes(store)).toEqual([t0 + 2 * HOUR, t0 + 25 * HOUR]);
  });

  it('merges samples of the same minute into one point (min, max, sum, count)', () => {
    const store = new MetricStore();
    add(store, t0 + 5_000, 1);
    add(store, t0 + 50_000, 4);
    const [point] = [...store.get(R, 'dsvmpool', 'activesessions')!.series.values()][0]!.points;
    expect(point).toEqual({ minuteMs: t0, min: 1, max: 4, sum: 5, count: 2 });
  });
});
