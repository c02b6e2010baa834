// The "Done when" on every checked-in trace, with the default policy, on the emulator's VM model.
// Criteria that hold are asserted. Criteria the default policy misses are listed in KNOWN_GAPS with the figures
// (see README "simulator"): the traces, baselines and oracle were not tuned to make them pass, and this test fails
// both when a new gap appears and when a known one closes, so the list stays true.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS } from '../../../src/local/emulator/compute/pool-model.js';
import { simulateFiles } from '../../../src/local/simulator/simulate-files.js';
import { acceptanceChecks } from '../../../src/simulator/acceptance.js';

const TRACES = readdirSync('traces').filter((f) => /\.(csv|jsonl)$/.test(f)).sort();

const KNOWN_GAPS: Record<string, string[]> = {
  // 1.25× oracle: 179.7 vs 134.2 VM-h = 1.34×; office hours refuse the night owl (5 killed, p95 wait 6.9 h) and cost $40.85 vs our $42.65.
  'team-8-one-zone.csv': ['VM-hours ≤ 1.25× oracle', 'cheaper than office-hours'],
  // 1.38× oracle (285.9 vs 206.5 VM-h); CPU autoscale packs sessions past the seats (22 killed, 20.5 short session-h): $49.08 vs $66.64.
  'team-15-two-zones.jsonl': ['VM-hours ≤ 1.25× oracle', 'cheaper than cpu-autoscale'],
  // 1.25× holds (1.246×); office hours ($64.33, 39 killed) and CPU autoscale ($58.97, 12 killed) are cheaper than our $72.68.
  'deadline-week.csv': ['cheaper than office-hours', 'cheaper than cpu-autoscale'],
};

const KILLED_WITH_60S_METRIC_DELAY: Record<string, number> = { 'deadline-week.csv': 1 };

describe.each(TRACES)('checked-in trace %s, default policy', (file) => {
  const simulation = simulateFiles({ tracePath: join('traces', file) });

  it('kills no session', async () => {
    const { result } = await simulation;
    expect(result.runs.find((r) => r.policy === 'dsvm-pool')!.killedSessions).toBe(0);
  });

  it('keeps the p95 seat wait at or below the VM boot time', async () => {
    const { result } = await simulation;
    expect(result.runs.find((r) => r.policy === 'dsvm-pool')!.waits.p95Seconds).toBeLessThanOrEqual(DEFAULT_TIMINGS.bootSeconds);
  });

  it('is cheaper than always-on, and never below the oracle', async () => {
    const { result } = await simulation;
    const cost = (name: string) => result.runs.find((r) => r.policy === name)!;
    expect(cost('dsvm-pool').cost.total).toBeLessThan(cost('always-on').cost.total);
    expect(cost('dsvm-pool').vmHours).toBeGreaterThanOrEqual(cost('oracle').vmHours);
  });

  it('shows the CPU-autoscale baseline killing sessions', async () => {
    const { result } = await simulation;
    expect(result.runs.find((r) => r.policy === 'cpu-autoscale')!.killedSessions).toBeGreaterThan(0);
  });

  it('records what a late session metric does (Azure Monitor shows custom metrics a minute or more late)', async () => {
    // A user who connects to an idle VM in the minute before its deallocation is not in the metric yet, so decide()
    // deallocates the VM under them. Known gap, reported to autoscale: 1 kill on deadline-week at a 60 s delay.
    const { result } = await simulateFiles({ tracePath: join('traces', file), baselines: [], metricDelaySeconds: 60 });
    expect(result.runs[0]!.killedSessions).toBe(KILLED_WITH_60S_METRIC_DELAY[file] ?? 0);
  });

  it('misses exactly the criteria recorded as known gaps', async () => {
    const { result } = await simulation;
    const failing = acceptanceChecks(result).filter((c) => !c.pass).map((c) => c.criterion);
    expect(failing).toEqual(KNOWN_GAPS[file] ?? []);
  });
});
