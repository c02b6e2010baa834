// The "Done when" on every checked-in trace, with the default policy, on the emulator's VM model.
// Criteria that hold are asserted. Criteria the default policy misses are listed in KNOWN_GAPS with the figures
// (see README "simulator"): the traces, baselines and oracle were not tuned to make them pass, and this test fails
// both when a new gap appears and when a known one closes, so the list stays true.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS } from '../../../src/local/emulator/compute/pool-model.js';
import { simulateFiles } from '../../../src/local/simulator/simulate-files.js';
import { acceptanceChecks } from '../../../src/simulator/acceptance.js';

const TRACES = readdirSync('traces').filter((f) => /\.(csv|jsonl)$/.test(f)).sort();

// Default policy since the sweep with the broker (README "Policies"): 0 spare seats, idle 5 min, no parked VMs.
// Ours ("dsvm-pool") is the autoscaler with the connection broker placing every user. It kills nobody and keeps the
// p95 seat wait at the boot time on every trace, and is within 1.25× of the oracle and cheaper than always-on, office
// hours and CPU autoscale. It misses the broker's goal of ≤ 1.10× oracle on two traces, and "cheaper than lb-random"
// (the same autoscaler with the load balancer placing sessions at random, over-filling VMs) on all three. Where the
// VM-hours go: `npm run simulate -- bounds` (README) — placing people as they come, not sessions staying put:
const KNOWN_GAPS: Record<string, string[]> = {
  // broker 154.6 vs oracle 134.2 VM-h = 1.15×; $29.69 vs lb-random $29.48, whose load balancer put 67.9 session-h
  // past a VM's seats (the broker 7.3, a user's second session on their own VM).
  'team-8-one-zone.csv': ['VM-hours ≤ 1.1× oracle (broker goal)', 'cheaper than lb-random'],
  // broker 242.4 vs 206.5 VM-h = 1.17×; $46.53 vs lb-random $46.48 (92.7 session-h past the seats; the broker 7.9).
  'team-15-two-zones.jsonl': ['VM-hours ≤ 1.1× oracle (broker goal)', 'cheaper than lb-random'],
  // broker 288.3 vs 264.1 VM-h = 1.09× (goal met); $55.34 vs lb-random $53.20 (161.7 session-h past the seats, the
  // broker 38.4).
  'deadline-week.csv': ['cheaper than lb-random'],
};

// Sessions killed, seed 1, when the session metric is seen late: 0 at 60 and 180 s on every trace, with and
// without the drain before scale-in. The broker's placements and the VMs' own reports count at once (a VM with a
// placed user is never idle), so the late metric never makes a busy VM look idle. Without the broker (lb-random, no
// drain) the late metric killed 2 on team-15 at 180 s with this policy (1 on team-8 with the earlier 30-min window).
const KILLED_WITH_METRIC_DELAY: Record<'drain' | 'no-drain', Record<number, Record<string, number>>> = {
  drain: { 60: {}, 180: {} },
  'no-drain': { 60: {}, 180: {} },
};

const policyDir = mkdtempSync(join(tmpdir(), 'sim-policy-'));
const NO_DRAIN_POLICY = join(policyDir, 'no-drain.json');
writeFileSync(NO_DRAIN_POLICY, JSON.stringify({ drainBeforeScaleIn: false }));
afterAll(() => rmSync(policyDir, { recursive: true, force: true }));

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

  it.each([
    [60, 'drain'],
    [180, 'drain'],
    [60, 'no-drain'],
    [180, 'no-drain'],
  ] as const)('records what a session metric %i s late does, with %s before scale-in (Azure Monitor shows custom metrics a minute or more late)', async (delay, mode) => {
    // A user who connects to an idle VM in the minutes before its removal is not in the metric yet, so decide()
    // plans to remove the VM under them; the drain counts them on the VM and keeps it. The counts are recorded,
    // not hoped for.
    const { result } = await simulateFiles({ tracePath: join('traces', file), baselines: [], metricDelaySeconds: delay, ...(mode === 'no-drain' ? { policyPath: NO_DRAIN_POLICY } : {}) });
    expect(result.runs[0]!.killedSessions).toBe(KILLED_WITH_METRIC_DELAY[mode][delay]?.[file] ?? 0);
  });

  it('misses exactly the criteria recorded as known gaps', async () => {
    const { result } = await simulation;
    const failing = acceptanceChecks(result).filter((c) => !c.pass).map((c) => c.criterion);
    expect(failing).toEqual(KNOWN_GAPS[file] ?? []);
  });
});
