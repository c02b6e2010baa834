// The programmatic API: one trace, our policy and the chosen baselines, each replayed on a fresh VM model from the
// same factory, plus the oracle. Returns every run's figures and the ratios to the oracle.
import type { VmssPolicy } from '../autoscale/policy.js';
import { alwaysOn } from './baselines/always-on.js';
import { autostop } from './baselines/autostop.js';
import { cpuAutoscale, DEFAULT_CPU_RULES, type CpuAutoscaleRules } from './baselines/cpu-autoscale.js';
import { DEFAULT_OFFICE_HOURS, officeHours, type OfficeHours } from './baselines/office-hours.js';
import { oracle } from './baselines/oracle.js';
import { AutoscalerController } from './autoscaler-controller.js';
import { BrokerController } from './broker-controller.js';
import type { Controller } from './controller.js';
import { SimulatorError } from './errors.js';
import { replay } from './replay.js';
import { DEFAULT_PRICES, type Prices, type RunMetrics } from './run-metrics.js';
import { peakConcurrency, type Trace } from './trace.js';
import type { VmPoolPort } from './vm-pool.port.js';

export const BASELINES = ['lb-random', 'always-on', 'office-hours', 'cpu-autoscale', 'autostop', 'oracle'] as const;
export type BaselineName = (typeof BASELINES)[number];

/** Makes a fresh VM model for one run, starting at `start` with the controller's initial pool. */
export type PoolFactory = (start: number, initial: { capacity: number; running: boolean }, seed: number) => VmPoolPort;

export interface SimulationOptions {
  trace: Trace;
  policy: VmssPolicy;
  newPool: PoolFactory;
  baselines?: readonly BaselineName[];
  seed?: number;
  prices?: Prices;
  /** VM boot time of the model, seconds: the p95 seat-wait yardstick. */
  bootSeconds: number;
  /** Office hours for that baseline; zones default to the trace's `timeZones`, else UTC. */
  officeHours?: Partial<OfficeHours>;
  autostopIdleMinutes?: number;
  cpuRules?: Partial<CpuAutoscaleRules>;
  traceName?: string;
  /** Metric ingestion delay seen by our observe step, seconds; default 0 (the emulator's Monitor shows posts at once). */
  metricDelaySeconds?: number;
}

export interface RunSummary extends RunMetrics {
  /** vmHours / oracle vmHours (Infinity when the oracle needs none and this run used some). */
  oracleRatio: number;
}

export interface SimulationResult {
  trace: { name: string; sessions: number; users: number; periodStart: string; periodEnd: string; peakSessions: number; peakVms: number };
  seatsPerInstance: number;
  bootSeconds: number;
  prices: Prices;
  seed: number;
  metricDelaySeconds: number;
  runs: RunSummary[];
}

export function simulate(options: SimulationOptions): SimulationResult {
  const { trace, policy } = options;
  const seed = options.seed ?? 1;
  const prices = options.prices ?? DEFAULT_PRICES;
  const seats = policy.seatsPerInstance;
  const peakSessions = peakConcurrency(trace.sessions);
  const peakVms = Math.max(1, Math.ceil(peakSessions / seats));
  const wanted = options.baselines ?? BASELINES;

  // Ours: the autoscaler with the connection broker placing every user. `lb-random` is the same autoscaler with the
  // load balancer placing sessions at random (no broker), as before the broker: the difference is what it saves.
  const controllers: Controller[] = [new BrokerController(policy, { metricDelaySeconds: options.metricDelaySeconds ?? 0 })];
  for (const name of wanted) {
    if (name === 'oracle') continue;
    controllers.push(baseline(name, options, peakVms, seed));
  }
  const runs: RunMetrics[] = controllers.map((c) =>
    replay(trace, c, options.newPool(trace.period.start, c.initialPool ?? { capacity: 0, running: false }, seed), { seatsPerInstance: seats, prices }),
  );
  const best = oracle(trace, seats, prices);
  if (wanted.includes('oracle')) runs.push(best);
  return {
    trace: {
      name: options.traceName ?? 'trace',
      sessions: trace.sessions.length,
      users: new Set(trace.sessions.map((s) => s.user)).size,
      periodStart: new Date(trace.period.start).toISOString(),
      periodEnd: new Date(trace.period.end).toISOString(),
      peakSessions,
      peakVms,
    },
    seatsPerInstance: seats,
    bootSeconds: options.bootSeconds,
    prices,
    seed,
    metricDelaySeconds: options.metricDelaySeconds ?? 0,
    runs: runs.map((r) => ({ ...r, oracleRatio: ratio(r.vmHours, best.vmHours) })),
  };
}

function baseline(name: Exclude<BaselineName, 'oracle'>, options: SimulationOptions, peakVms: number, seed: number): Controller {
  switch (name) {
    case 'lb-random':
      return new AutoscalerController(options.policy, { name: 'lb-random', metricDelaySeconds: options.metricDelaySeconds ?? 0 });
    case 'always-on':
      return alwaysOn(peakVms);
    case 'office-hours':
      return officeHours(peakVms, { ...DEFAULT_OFFICE_HOURS, timeZones: options.trace.timeZones ?? ['UTC'], ...options.officeHours });
    case 'autostop':
      return autostop(peakVms, options.autostopIdleMinutes ?? 30);
    case 'cpu-autoscale':
      return cpuAutoscale({ ...DEFAULT_CPU_RULES, maxInstances: Math.max(peakVms, options.policy.maxInstances), ...options.cpuRules }, seed);
    default:
      throw new SimulatorError('OPTION_INVALID', `unknown baseline "${String(name)}"; choose from ${BASELINES.join(', ')}`);
  }
}

function ratio(x: number, oracleVmHours: number): number {
  if (oracleVmHours > 0) return x / oracleVmHours;
  return x > 0 ? Infinity : 1;
}

export function parseBaselines(text: string): BaselineName[] {
  if (text === 'all') return [...BASELINES];
  if (text === 'none' || text === '') return [];
  const names = text.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(BASELINES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new SimulatorError('OPTION_INVALID', `unknown baseline(s) ${unknown.join(', ')}; choose from all, none or ${BASELINES.join(', ')}`);
  }
  return names as BaselineName[];
}
