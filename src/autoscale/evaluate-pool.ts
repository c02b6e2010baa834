// One evaluation of one pool: observe → decide → act → record, under the pool's lease.
import { actOn, type ActResult } from './act.js';
import type { DrainLimits } from './drain.js';
import { decide } from './decide.js';
import { earlierOperations, failedGrowth, type EarlierOperations } from './earlier-operations.js';
import { AutoscaleError, errorOf } from './errors.js';
import { historyFrom, historyMinutes } from './history.js';
import type { LeasePort } from './lease.port.js';
import { observePool } from './observe.js';
import type { PoolObservation } from './observation.js';
import type { VmssPolicy } from './policy.js';
import { summarize, type ScaleEvent, type ScaleOutcome, type ScaleTrigger } from './scale-event.js';
import type { ScaleEventStore } from './scale-event-store.port.js';
import { isRepeat } from './repeated-event.js';
import { isStuck, stuckWarning } from './scale-set-busy.js';
import { planActs, type ScalePlan } from './scale-plan.js';
import type { CallOptions, ScaleSetInstance, ScaleSetResolver } from './scale-set.port.js';
import { withSeatFacts, type SeatBroker, type SeatFacts } from './seat-broker.port.js';
import type { SessionMetrics } from './session-metrics.port.js';
import type { StepOutside } from './slot-limiter.js';

export interface AutoscaleDeps {
  scaleSets: ScaleSetResolver;
  metrics: SessionMetrics;
  events: ScaleEventStore;
  leases: LeasePort;
  /** The app clock (simulated under the local stack). */
  now: () => Date;
  /**
   * The clock leases are judged by. A lease bounds how long a real evaluation may run, so it follows the wall clock
   * even where the app clock is simulated (at 60× a 3-minute lease would last 3 real seconds). Default: `now`.
   */
  leaseNow?: () => Date;
  /** Names this app instance in leases. */
  holder: string;
  /** One structured log line per evaluation. */
  log: (fields: Record<string, unknown>) => void;
  /** The connection broker: reservations and waiting people as demand, and the pool view written after acting. */
  broker?: SeatBroker;
}

export interface EvaluateOptions {
  trigger: ScaleTrigger;
  abortSignal?: AbortSignal;
  /** The timer's shared drain limit and per-drain timeout. */
  drainLimits?: DrainLimits;
  /** Steps out of the timer's pool slot while drains run. */
  outside?: StepOutside;
  /**
   * Someone who found no free seat asked for this evaluation: the broker's rows are read after a settling window, so
   * the people asking at the same moment are counted too (SeatBroker `settle`).
   */
  settle?: boolean;
}

export interface EvaluationResult {
  pool: string;
  /** 'busy': another evaluation held the pool's lease; 'none': nothing to do, nothing recorded. */
  outcome: ScaleOutcome | 'busy' | 'none';
  observation?: PoolObservation;
  plan?: ScalePlan;
  event?: ScaleEvent;
}

/** Longer than any evaluation takes (bounded LRO waits), short enough that a crashed holder frees the pool soon. */
export const LEASE_DURATION_MS = 3 * 60_000;

export async function evaluatePool(deps: AutoscaleDeps, pool: string, policy: VmssPolicy, options: EvaluateOptions): Promise<EvaluationResult> {
  // Unique per evaluation, so two evaluations in one app instance (timer and wake) exclude each other too.
  const holder = `${deps.holder}:${Math.random().toString(36).slice(2, 10)}`;
  const lease = await deps.leases.acquire(pool, holder, (deps.leaseNow ?? deps.now)(), LEASE_DURATION_MS);
  if (!lease) {
    deps.log({ event: 'autoscale.busy', pool, trigger: options.trigger, message: 'another evaluation holds the pool lease' });
    return { pool, outcome: 'busy' };
  }
  try {
    return await evaluateLeased(deps, pool, policy, options);
  } finally {
    await deps.leases.release(lease).catch(() => undefined);
  }
}

async function evaluateLeased(deps: AutoscaleDeps, pool: string, policy: VmssPolicy, options: EvaluateOptions): Promise<EvaluationResult> {
  const startedMs = Date.now();
  const now = deps.now();
  const scaleSet = deps.scaleSets(policy.target);
  let observation: PoolObservation | undefined;
  let plan: ScalePlan | undefined;
  let acted: ActResult;
  let leftDrained: string[] | undefined;
  let facts: SeatFacts | undefined;
  const call = { abortSignal: options.abortSignal };
  let earlier: EarlierOperations | undefined;
  try {
    // With `settle`, the broker's rows are read last (the settling window runs while ARM is read), so everyone asking
    // at that moment is counted by this one evaluation.
    const [events, seatFacts, observed] = await Promise.all([
      deps.events.since(pool, new Date(now.getTime() - historyMinutes(policy) * 60_000)),
      deps.broker?.facts(pool, policy, now, { ...call, settle: options.settle === true }),
      observePool(pool, policy, scaleSet, deps.metrics, now, call),
    ]);
    const history = historyFrom(events);
    leftDrained = history.leftDrained;
    facts = seatFacts;
    observation = withSeatFacts(observed, facts, now);
    earlier = earlierOperations(history.pending, leftDrained, observation);
    plan = decide(policy, observation, now, history);
    const stuck = stuckError(observation, now);
    // Stuck in someone else's operation: no write (it would get 409), but one failed event the admin can see.
    if (stuck) throw stuck;
    const undrain = toUndrain(earlier.settledDrained, plan, observation);
    acted = policy.dryRun || (!planActs(plan) && undrain.length === 0)
      ? dryRun(plan)
      : await actOn(scaleSet, plan, {
        abortSignal: options.abortSignal, drainLimits: options.drainLimits, outside: options.outside,
        undrain, drain: policy.drainBeforeScaleIn ? drainCandidates(plan, observation) : undefined,
      });
  } catch (e) {
    // Nothing was undrained: the VMs left drained stay on the list for the next evaluation.
    acted = { steps: [], actedOut: false, actedIn: false, drained: leftDrained, error: { ...errorOf(e), step: plan ? 'act' : 'observe' } };
  }
  // A removal accepted earlier may still take effect: its drained VMs stay drained until it is over.
  if (earlier?.stillDrained.length) acted.drained = [...earlier.stillDrained, ...(acted.drained ?? []).filter((id) => !earlier!.stillDrained.includes(id))];
  if (acted.drained === undefined && leftDrained?.length) acted.drained = [];
  if (earlier?.pending.length) acted.pending = [...earlier.pending, ...(acted.pending ?? [])];
  // A start or scale-out accepted earlier that did not take effect is this evaluation's failure to report.
  const grew = failedGrowth(earlier?.settled);
  if (grew && !acted.error) acted.error = grew;
  // The event and the broker's view are independent writes: in parallel.
  const [result] = await Promise.all([
    record(deps, { pool, policy, now, trigger: options.trigger, observation, plan, acted, settled: earlier?.settled, leftDrained, durationMs: Date.now() - startedMs }),
    deps.broker ? writeView(deps, deps.broker, { pool, policy, now, observation, plan, acted, facts }, scaleSet, call) : undefined,
  ]);
  return result;
}

/** Hands the evaluation to the broker, with the new VMs' ids when it added some. A failed view write is logged, not fatal. */
async function writeView(deps: AutoscaleDeps, broker: SeatBroker, e: Parameters<SeatBroker['evaluated']>[0], scaleSet: ReturnType<ScaleSetResolver>, options: CallOptions): Promise<void> {
  try {
    let instancesAfter: ScaleSetInstance[] | undefined;
    if (e.acted.actedOut && !(e.policy.dryRun)) instancesAfter = await scaleSet.listInstances(options).catch(() => undefined);
    const scaleSetMissing = e.acted.error?.code === 'NOT_FOUND' && e.acted.error.step === 'observe';
    await broker.evaluated({ ...e, instancesAfter, scaleSetMissing }, options);
  } catch (err) {
    deps.log({ event: 'broker.view-failed', pool: e.pool, error: errorOf(err) });
  }
}

/** SCALE_SET_STUCK when the scale set has been busy longer than STUCK_UPDATING_MINUTES. */
function stuckError(observation: PoolObservation, now: Date): AutoscaleError | undefined {
  if (!observation.busySince || !isStuck(observation.busySince, now)) return undefined;
  return new AutoscaleError('SCALE_SET_STUCK', stuckWarning(observation.provisioningState, observation.busySince));
}

/**
 * VMs an earlier evaluation left drained, whose removal is over, that still run and that this plan keeps: they must
 * take sessions again (a deallocate Azure accepted and then failed lands here on the next evaluation).
 */
function toUndrain(leftDrained: readonly string[] | undefined, plan: ScalePlan, observation: PoolObservation): string[] {
  if (!leftDrained?.length) return [];
  const leaving = new Set([...plan.deallocate, ...plan.delete]);
  const running = new Set(observation.instances.filter((i) => i.state === 'running').map((i) => i.instanceId));
  return leftDrained.filter((id) => running.has(id) && !leaving.has(id));
}

/** The plan's removals that are running: only a running VM can have sessions (and run the drain command). */
function drainCandidates(plan: ScalePlan, observation: PoolObservation): string[] {
  const running = new Set(observation.instances.filter((i) => i.state === 'running').map((i) => i.instanceId));
  return [...plan.deallocate, ...plan.delete].filter((id) => running.has(id));
}

function dryRun(plan: ScalePlan): ActResult {
  return { steps: [], actedOut: plan.start.length > 0 || plan.newCapacity !== undefined, actedIn: plan.deallocate.length + plan.delete.length > 0 };
}

interface Evaluated {
  pool: string;
  policy: VmssPolicy;
  now: Date;
  trigger: ScaleTrigger;
  observation?: PoolObservation;
  plan?: ScalePlan;
  acted: ActResult;
  /** How operations an earlier evaluation left running ended. */
  settled?: string[];
  /** VMs the newest earlier evaluation left drained. */
  leftDrained?: string[];
  durationMs: number;
}

async function record(deps: AutoscaleDeps, e: Evaluated): Promise<EvaluationResult> {
  // Carrying drained VMs or pending operations unchanged while the scale set is busy is not news: the event that
  // listed them still says so, and the next evaluation reads them from it.
  const drainedNews = e.acted.drained !== undefined && !sameList(e.acted.drained, e.leftDrained);
  const wanted = (e.plan !== undefined && planActs(e.plan)) || e.acted.steps.length > 0 || drainedNews || !!e.settled?.length;
  const outcome: ScaleOutcome | 'none' = e.acted.error ? 'failed' : !wanted ? 'none' : e.policy.dryRun ? 'dry-run' : 'done';
  const { plan } = e;
  const event: ScaleEvent = {
    pool: e.pool,
    at: e.now,
    kind: 'evaluation',
    trigger: e.trigger,
    outcome: outcome === 'none' ? 'skipped' : outcome,
    direction: plan?.direction ?? 'none',
    reason: plan ? withKept(plan.reason, e.acted) : `could not observe the pool: ${e.acted.error?.message ?? 'unknown error'}`,
    observed: e.observation && summarize(e.observation),
    plan: plan && {
      start: plan.start, newCapacity: plan.newCapacity, deallocate: plan.deallocate, delete: plan.delete, protect: plan.protect,
      unprotect: plan.unprotect, targetActive: plan.targetActive, figures: plan.figures, warnings: plan.warnings,
    },
    actedOut: e.acted.actedOut,
    actedIn: e.acted.actedIn,
    steps: e.acted.steps,
    error: e.acted.error,
    drained: e.acted.drained,
    pending: e.acted.pending?.length ? e.acted.pending : undefined,
    settled: e.settled?.length ? e.settled : undefined,
    durationMs: e.durationMs,
  };
  deps.log({ event: 'autoscale.evaluation', pool: e.pool, trigger: e.trigger, outcome, direction: event.direction, reason: event.reason, steps: event.steps, error: event.error, warnings: plan?.warnings, durationMs: e.durationMs });
  if (outcome === 'none') return { pool: e.pool, outcome, observation: e.observation, plan };
  if ((outcome === 'failed' || outcome === 'dry-run') && isRepeat(event, (await deps.events.page(e.pool, { top: 1 })).events[0])) {
    return { pool: e.pool, outcome, observation: e.observation, plan, event };
  }
  await deps.events.append(event);
  return { pool: e.pool, outcome, observation: e.observation, plan, event };
}

/** The plan's reason, plus the VMs a drain kept and why (the part of the decision the metric could not see). */
function withKept(reason: string, acted: ActResult): string {
  if (!acted.kept?.length) return reason;
  return `${reason}; kept by the drain: ${acted.kept.map((k) => k.reason).join('; ')}`;
}

function sameList(a: readonly string[], b: readonly string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((id, i) => id === b[i]);
}
