// A study of candidate default policies: every combination of a grid of policy fields, replayed through the real
// decide() on every trace, at several session-metric delays and seeds, then ranked by the users' order of
// priorities: no session killed, then cost, with the p95 seat wait ≤ VM boot time as a requirement. Each replay is
// `simulate()`'s own run, `dsvm-pool`: the autoscaler with the connection broker placing every user, as the app does
// (the broker's placement is deterministic, so seeds change only the baselines, which a sweep does not run).
import type { VmssPolicy } from '../autoscale/policy.js';
import { SimulatorError } from './errors.js';
import { policyFromJson } from './policy-file.js';
import type { Prices } from './run-metrics.js';
import { simulate, type PoolFactory } from './simulation.js';
import type { Trace } from './trace.js';

export type FieldValue = number | boolean | string;
/** Policy fields and the values to try; the candidates are every combination. */
export type SweepGrid = Record<string, readonly FieldValue[]>;

/**
 * The fields that move cost and disruption most (README "Policies", "What-if simulator"). `wakeHoldMinutes` is not
 * among them: people connect through the broker, which queues them as demand and holds no wake floor.
 */
export const DEFAULT_SWEEP_GRID: SweepGrid = {
  spareSeats: [0, 1, 2],
  idleMinutesBeforeScaleIn: [5, 10, 20, 30],
  maxDeallocated: [0, 2, 10],
  scaleInCooldownMinutes: [0, 10],
};
/** Azure Monitor shows a custom metric a minute or more after it is posted; 0 is the emulator's instant view. */
export const DEFAULT_SWEEP_DELAYS = [0, 60, 180] as const;

export interface SweepOptions {
  traces: readonly { name: string; trace: Trace }[];
  /** Policy JSON the grid's fields are laid over (a `policies` row without kind/target); default {} = the defaults. */
  base?: Record<string, unknown>;
  grid?: SweepGrid;
  delaysSeconds?: readonly number[];
  seeds?: readonly number[];
  newPool: PoolFactory;
  bootSeconds: number;
  prices?: Prices;
}

/** One replay: one candidate on one trace at one metric delay and seed. */
export interface SweepRun {
  trace: string;
  delaySeconds: number;
  seed: number;
  killed: number;
  vmHours: number;
  oracleVmHours: number;
  oracleRatio: number;
  cost: number;
  p95WaitSeconds: number;
  maxWaitSeconds: number;
}

export interface CandidateSummary {
  /** Killed sessions summed over traces and seeds, per metric delay (seconds → count). */
  killedByDelay: Record<number, number>;
  killedTotal: number;
  /** Cost of all traces together at the smallest delay, mean over seeds, USD. */
  cost: number;
  /** The same at every delay. */
  costByDelay: Record<number, number>;
  /** Worst (highest) VM-hours / oracle over traces at the smallest delay, mean over seeds. */
  worstOracleRatio: number;
  /** Worst p95 / max seat wait over every run, seconds. */
  worstP95WaitSeconds: number;
  /** Worst p95 seat wait per metric delay: a late metric delays scale-out too. */
  p95ByDelay: Record<number, number>;
  worstMaxWaitSeconds: number;
  /** p95 seat wait ≤ boot on every trace and seed at the smallest delay (the done-when's yardstick, the emulator's view). */
  waitWithinBoot: boolean;
}

export interface CandidateResult {
  /** The grid's values for this candidate, e.g. { spareSeats: 1, idleMinutesBeforeScaleIn: 15 }. */
  fields: Record<string, FieldValue>;
  policy: VmssPolicy;
  runs: SweepRun[];
  summary: CandidateSummary;
}

/** Every combination of the grid's values, in the grid's order. */
export function candidatesOf(grid: SweepGrid): Record<string, FieldValue>[] {
  let combos: Record<string, FieldValue>[] = [{}];
  for (const [field, values] of Object.entries(grid)) {
    if (values.length === 0) throw new SimulatorError('OPTION_INVALID', `grid field ${field} has no values`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [field]: v })));
  }
  return combos;
}

export function sweep(options: SweepOptions): CandidateResult[] {
  const delays = [...(options.delaysSeconds ?? DEFAULT_SWEEP_DELAYS)];
  const seeds = [...(options.seeds ?? [1])];
  if (options.traces.length === 0) throw new SimulatorError('OPTION_INVALID', 'a sweep needs at least one trace');
  if (delays.length === 0 || seeds.length === 0) throw new SimulatorError('OPTION_INVALID', 'a sweep needs at least one delay and one seed');
  return candidatesOf(options.grid ?? DEFAULT_SWEEP_GRID).map((fields) => {
    const label = Object.entries(fields).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    // The same validation as a policies row: an impossible combination is an error naming the field.
    const policy = policyFromJson(JSON.stringify({ ...options.base, ...fields }), `candidate ${label}`);
    const runs: SweepRun[] = [];
    for (const { name, trace } of options.traces) {
      for (const delaySeconds of delays) {
        for (const seed of seeds) {
          const result = simulate({
            trace,
            policy,
            newPool: options.newPool,
            baselines: ['oracle'],
            bootSeconds: options.bootSeconds,
            metricDelaySeconds: delaySeconds,
            seed,
            traceName: name,
            ...(options.prices ? { prices: options.prices } : {}),
          });
          // Ours is the broker's run (simulate() names it dsvm-pool); the oracle is the yardstick.
          const ours = result.runs.find((r) => r.policy === 'dsvm-pool')!;
          const best = result.runs.find((r) => r.policy === 'oracle')!;
          runs.push({
            trace: name,
            delaySeconds,
            seed,
            killed: ours.killedSessions,
            vmHours: ours.vmHours,
            oracleVmHours: best.vmHours,
            oracleRatio: ours.oracleRatio,
            cost: ours.cost.total,
            p95WaitSeconds: ours.waits.p95Seconds,
            maxWaitSeconds: ours.waits.maxSeconds,
          });
        }
      }
    }
    return { fields, policy, runs, summary: summarize(runs, delays, seeds.length, options.bootSeconds) };
  });
}

function summarize(runs: SweepRun[], delays: number[], seedCount: number, bootSeconds: number): CandidateSummary {
  const killedByDelay: Record<number, number> = {};
  const costByDelay: Record<number, number> = {};
  const p95ByDelay: Record<number, number> = {};
  for (const d of delays) {
    const at = runs.filter((r) => r.delaySeconds === d);
    killedByDelay[d] = at.reduce((s, r) => s + r.killed, 0);
    p95ByDelay[d] = Math.max(...at.map((r) => r.p95WaitSeconds));
    costByDelay[d] = at.reduce((s, r) => s + r.cost, 0) / seedCount;
  }
  const first = Math.min(...delays);
  const ratios = new Map<string, number>();
  for (const r of runs.filter((x) => x.delaySeconds === first)) ratios.set(r.trace, (ratios.get(r.trace) ?? 0) + r.oracleRatio / seedCount);
  const worstP95WaitSeconds = Math.max(...runs.map((r) => r.p95WaitSeconds));
  return {
    killedByDelay,
    killedTotal: runs.reduce((s, r) => s + r.killed, 0),
    cost: costByDelay[first] as number,
    costByDelay,
    worstOracleRatio: Math.max(...ratios.values()),
    worstP95WaitSeconds,
    p95ByDelay,
    worstMaxWaitSeconds: Math.max(...runs.map((r) => r.maxWaitSeconds)),
    waitWithinBoot: (p95ByDelay[first] as number) <= bootSeconds,
  };
}

export interface SweepChoice {
  /** Best first. */
  ranked: CandidateResult[];
  chosen: CandidateResult;
  /** Whether any candidate killed no session at any delay; false is a product finding (scale-in needs a drain). */
  killFreeExists: boolean;
  rule: string;
}

/**
 * Lexicographic, in the users' order: (1) no session killed at any delay — or, when no candidate manages that, the
 * fewest killed at the first non-zero delay (Azure's real one), then the fewest in all; (2) the p95 seat wait within
 * the boot time, a requirement of the product; (3) the lowest cost; ties go to the lower worst × oracle.
 */
export function chooseDefault(results: readonly CandidateResult[]): SweepChoice {
  if (results.length === 0) throw new SimulatorError('OPTION_INVALID', 'no candidates to choose from');
  const delays = Object.keys(results[0]!.summary.killedByDelay).map(Number).sort((a, b) => a - b);
  const realistic = delays.find((d) => d > 0) ?? delays[0]!;
  const killFreeExists = results.some((r) => r.summary.killedTotal === 0);
  const key = (r: CandidateResult): number[] => [
    r.summary.killedTotal === 0 ? 0 : 1,
    killFreeExists ? 0 : (r.summary.killedByDelay[realistic] ?? 0),
    killFreeExists ? 0 : r.summary.killedTotal,
    r.summary.waitWithinBoot ? 0 : 1,
    Math.round(r.summary.cost * 100),
    r.summary.worstOracleRatio,
  ];
  const ranked = [...results].sort((a, b) => compareKeys(key(a), key(b)));
  const rule = killFreeExists
    ? 'no session killed at any delay → p95 seat wait ≤ boot → lowest cost'
    : `no candidate is kill-free at every delay: fewest killed at ${realistic} s → fewest killed in all → p95 seat wait ≤ boot → lowest cost`;
  return { ranked, chosen: ranked[0]!, killFreeExists, rule };
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}
