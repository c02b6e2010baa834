import { describe, expect, it } from 'vitest';
import { acceptanceChecks } from '../../../src/simulator/acceptance.js';
import { renderChart } from '../../../src/simulator/report-chart.js';
import { renderMarkdown } from '../../../src/simulator/report-markdown.js';
import { DEFAULT_PRICES, percentile, type RunMetrics } from '../../../src/simulator/run-metrics.js';
import type { RunSummary, SimulationResult } from '../../../src/simulator/simulation.js';

const start = Date.parse('2026-03-02T00:00:00Z');
function runOf(policy: string, over: Partial<RunMetrics> & { oracleRatio?: number } = {}): RunSummary {
  return {
    policy,
    vmHours: 10,
    runningVmHours: 9,
    deallocatedVmHours: 5,
    cost: { compute: 1.92, disk: 0.14, total: 2.06 },
    sessions: 4,
    waits: { p50Seconds: 0, p95Seconds: 60, maxSeconds: 180, waited: 1, neverSeated: 0 },
    killedSessions: 0,
    seatShortageSessionHours: 0,
    overSeatSessionHours: 0,
    scaleActions: { out: 2, in: 2 },
    vmOperations: { created: 1, started: 1, deallocated: 2, deleted: 0 },
    flaps: 0,
    timeline: [
      { t: start, demand: 0, seats: 0, allocatedVms: 0 },
      { t: start + 43_200_000, demand: 3, seats: 4, allocatedVms: 1 },
    ],
    oracleRatio: 1.2,
    ...over,
  };
}
function resultOf(runs: RunSummary[]): SimulationResult {
  return {
    trace: { name: 'a<b>.csv', sessions: 4, users: 2, periodStart: new Date(start).toISOString(), periodEnd: new Date(start + 86_400_000).toISOString(), peakSessions: 3, peakVms: 1 },
    seatsPerInstance: 4,
    bootSeconds: 180,
    prices: DEFAULT_PRICES,
    seed: 1,
    metricDelaySeconds: 0,
    runs,
  };
}

describe('report', () => {
  const result = resultOf([
    runOf('dsvm-pool'),
    runOf('always-on', { cost: { compute: 5, disk: 0, total: 5 }, oracleRatio: 2.4 }),
    runOf('cpu-autoscale', { killedSessions: 3, cost: { compute: 1, disk: 0, total: 1 } }),
    runOf('oracle', { vmHours: 8.33, oracleRatio: 1 }),
  ]);

  it('judges our run against each done-when criterion', () => {
    expect(acceptanceChecks(result).map((c) => [c.criterion, c.pass])).toEqual([
      ['no killed sessions', true],
      ['p95 seat wait ≤ VM boot time (180 s)', true],
      ['VM-hours ≤ 1.25× oracle', true],
      ['VM-hours ≤ 1.1× oracle (broker goal)', false],
      ['cheaper than always-on', true],
      ['cheaper than cpu-autoscale', false],
    ]);
    expect(acceptanceChecks(resultOf([runOf('dsvm-pool', { killedSessions: 1, waits: { ...runOf('x').waits, p95Seconds: 181 } })])).every((c) => !c.pass)).toBe(true);
  });

  it('writes one Markdown row per policy with its figures and the verdicts', () => {
    const md = renderMarkdown(result, 'chart.svg');
    expect(md).toContain('| cpu-autoscale | 10.0 | 1.20 | 1.00 | 1/4 | 0 | 60 | 180 | 3 | 2/2 | 0 | 0.0 |');
    expect(md).toContain('❌ cheaper than cpu-autoscale: $2.06 vs $1.00');
    expect(md).toContain('![demand vs capacity](chart.svg)');
  });

  it('draws one escaped SVG panel per policy', () => {
    const svg = renderChart(result);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg.match(/<polygon /g)).toHaveLength(4);
    expect(svg).toContain('a&lt;b&gt;.csv');
    expect(svg).not.toContain('NaN');
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 95)).toBe(0);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
  });
});
