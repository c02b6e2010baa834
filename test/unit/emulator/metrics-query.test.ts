import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../../src/local/emulator/monitor/metric-store.js';
import { parseMetricsQuery, runMetricsQuery } from '../../../src/local/emulator/monitor/metrics-query.js';

const R = '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachineScaleSets/p';
const t0 = Date.parse('2026-03-02T10:00:00Z');
const DEF = [{ namespace: 'DSVMPool', name: 'ActiveSessions', unit: 'Unspecified' }];

function storeWith(samples: [minute: number, instance: string, kind: string, value: number][]): MetricStore {
  const store = new MetricStore();
  for (const [minute, instance, kind, v] of samples) {
    store.add({ resourceId: R, namespace: 'DSVMPool', metric: 'ActiveSessions', dims: { InstanceId: instance, Kind: kind }, timeMs: t0 + minute * 60_000 + 5_000, min: v, max: v, sum: v, count: 1 });
  }
  return store;
}
const query = (params: Record<string, string>) => parseMetricsQuery(new URLSearchParams({ timespan: '2026-03-02T10:00:00Z/2026-03-02T10:10:00Z', ...params }), t0);
type Body = { interval: string; value: { timeseries: { metadatavalues: { value: string }[]; data: Record<string, unknown>[] }[] }[] };

describe('metrics query', () => {
  it('rolls minutes up into the interval with each requested aggregation', () => {
    const store = storeWith([[0, '0', 'ssh', 1], [1, '0', 'ssh', 3], [5, '0', 'ssh', 2]]);
    const body = runMetricsQuery(store, R, 'westeurope', query({ interval: 'PT5M', aggregation: 'Maximum,Average,Minimum,Total,Count' }), DEF) as Body;
    expect(body.interval).toBe('PT5M');
    expect(body.value[0]!.timeseries[0]!.data).toEqual([
      { timeStamp: '2026-03-02T10:00:00Z', maximum: 3, average: 2, minimum: 1, total: 4, count: 2 },
      { timeStamp: '2026-03-02T10:05:00Z', maximum: 2, average: 2, minimum: 2, total: 2, count: 1 },
    ]);
  });

  it('leaves a minute without data as a bare timeStamp', () => {
    const body = runMetricsQuery(storeWith([[1, '0', 'ssh', 1]]), R, 'x', query({ timespan: '2026-03-02T10:00:00Z/2026-03-02T10:02:00Z', aggregation: 'Maximum' }), DEF) as Body;
    expect(body.value[0]!.timeseries[0]!.data).toEqual([{ timeStamp: '2026-03-02T10:00:00Z' }, { timeStamp: '2026-03-02T10:01:00Z', maximum: 1 }]);
  });

  it('orders split series by the orderby aggregation and keeps the top ones', () => {
    const store = storeWith([[0, '0', 'ssh', 5], [0, '1', 'ssh', 1], [0, '2', 'ssh', 3]]);
    const ids = (params: Record<string, string>) =>
      (runMetricsQuery(store, R, 'x', query({ interval: 'FULL', aggregation: 'Maximum', $filter: "InstanceId eq '*'", ...params }), DEF) as Body).value[0]!.timeseries.map((t) => t.metadatavalues[0]!.value);
    expect(ids({})).toEqual(['0', '2', '1']);
    expect(ids({ orderby: 'Maximum asc', top: '2' })).toEqual(['1', '2']);
  });

  it.each([
    [{ interval: 'PT30S' }, /at least PT1M/],
    [{ aggregation: 'median' }, /Invalid aggregation "median"/],
    [{ timespan: '2026-03-02T10:10:00Z/2026-03-02T10:00:00Z' }, /start before end/],
    [{ top: '0' }, /positive integer/],
    [{ orderby: 'maximum sideways' }, /asc\|desc/],
  ])('rejects %j', (params, message) => {
    expect(() => query(params)).toThrow(message);
  });

  it('accepts a bare duration as "the last …"', () => {
    const q = parseMetricsQuery(new URLSearchParams({ timespan: 'PT30M' }), t0);
    expect([q.startMs, q.endMs]).toEqual([t0 - 30 * 60_000, t0]);
  });
});
