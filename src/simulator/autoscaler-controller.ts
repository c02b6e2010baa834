// Our autoscaler in the replay: every minute it observes the pool the way the observe step does (instances,
// protection, sessions per instance over the metric window), calls the SAME decide() the timer calls, and carries
// the plan out on the pool. A user who finds no running VM opens the bookmarked /connect link, which wakes the
// pool at once (an evaluation with a pending wake request), as the product does.
import { decide } from '../autoscale/decide.js';
import type { PoolObservation, ScaleHistory } from '../autoscale/observation.js';
import { METRIC_WINDOW_MARGIN_MINUTES } from '../autoscale/observe.js';
import type { VmssPolicy } from '../autoscale/policy.js';
import type { ScalePlan } from '../autoscale/scale-plan.js';
import type { Controller } from './controller.js';
import { SessionSampleLog } from './session-sample-log.js';
import type { VmPoolPort } from './vm-pool.port.js';

const MINUTE = 60_000;

export interface AutoscalerRun {
  /** Every plan that acted, for inspection in tests. */
  plans: { at: number; plan: ScalePlan }[];
  evaluations: number;
  /** VMs a plan would have removed that their drain kept (they had sessions the metric did not show yet). */
  keptByDrain: number;
}

export class AutoscalerController implements Controller {
  readonly name: string;
  readonly run: AutoscalerRun = { plans: [], evaluations: 0, keptByDrain: 0 };
  private readonly samples: SessionSampleLog;
  private readonly history: ScaleHistory = {};
  private readonly windowMs: number;
  private readonly poolName: string;
  /** Azure Monitor shows a custom metric a minute or more after it is posted; 0 = at once, as the emulator does. */
  private readonly metricDelayMs: number;

  constructor(
    private readonly policy: VmssPolicy,
    options: { name?: string; poolName?: string; metricDelaySeconds?: number } = {},
  ) {
    this.name = options.name ?? 'dsvm-pool';
    // The same window the observe step reads: the idle window plus its margin.
    this.windowMs = (policy.idleMinutesBeforeScaleIn + METRIC_WINDOW_MARGIN_MINUTES) * MINUTE;
    this.samples = new SessionSampleLog(this.windowMs);
    this.poolName = options.poolName ?? 'simulated';
    this.metricDelayMs = (options.metricDelaySeconds ?? 0) * 1000;
  }

  tick(now: number, pool: VmPoolPort): void {
    this.samples.record(now, pool.instances());
    this.evaluate(now, pool);
  }

  userWithoutVm(now: number, pool: VmPoolPort): void {
    this.history.lastWakeAt = new Date(now);
    this.evaluate(now, pool);
  }

  observe(now: number, pool: VmPoolPort): PoolObservation {
    return {
      pool: this.poolName,
      capacity: pool.capacity(),
      provisioningState: 'Succeeded',
      instances: pool.instances().map((i) => ({
        instanceId: i.instanceId,
        state: i.state,
        protectFromScaleIn: i.protectFromScaleIn,
        sessions: this.samples.read(i.instanceId, now, this.windowMs, this.metricDelayMs),
      })),
    };
  }

  /** An evaluation now, outside the minute's tick (a connect that found no seat). */
  protected evaluateNow(now: number, pool: VmPoolPort): void {
    this.evaluate(now, pool);
  }

  private evaluate(now: number, pool: VmPoolPort): void {
    // The timer skips a disabled pool altogether.
    if (!this.policy.enabled) return;
    this.run.evaluations++;
    const plan = decide(this.policy, this.observe(now, pool), new Date(now), this.history);
    if (this.policy.dryRun) return;
    const done = this.apply(plan, pool);
    const scaledOut = plan.start.length > 0 || plan.newCapacity !== undefined;
    const scaledIn = done.deallocate.length > 0 || done.delete.length > 0;
    if (scaledOut) this.history.lastScaleOutAt = new Date(now);
    if (scaledIn) this.history.lastScaleInAt = new Date(now);
    if (scaledOut || scaledIn) this.run.plans.push({ at: now, plan: done });
  }

  /**
   * Carries a plan out in the act step's order (src/autoscale/act.ts): start, capacity, drain, deallocate, delete,
   * protection. Returns the plan as carried out: without the VMs the drain kept.
   */
  private apply(plan: ScalePlan, pool: VmPoolPort): ScalePlan {
    if (plan.start.length > 0) pool.start(plan.start);
    if (plan.newCapacity !== undefined) pool.setCapacity(plan.newCapacity);
    if (this.policy.drainBeforeScaleIn) plan = this.drain(plan, pool);
    if (plan.deallocate.length > 0) pool.deallocate(plan.deallocate);
    if (plan.delete.length > 0) pool.delete(plan.delete);
    if (plan.protect.length > 0) pool.setProtection(plan.protect, true);
    if (plan.unprotect.length > 0) pool.setProtection(plan.unprotect, false);
    return plan;
  }

  /**
   * Drain before scale-in, as the act step does it: each running VM about to go is drained and its sessions counted
   * on the VM (no metric delay); one that has any is undrained and kept. In the replay the drain, the count and the
   * removal happen at one instant, so no user can arrive in between, as the drain's block ensures in Azure.
   */
  private drain(plan: ScalePlan, pool: VmPoolPort): ScalePlan {
    const removing = new Set([...plan.deallocate, ...plan.delete]);
    const kept = new Set<string>();
    for (const i of pool.instances()) {
      if (!removing.has(i.instanceId) || i.state !== 'running') continue;
      const counted = pool.drain(i.instanceId);
      if (counted.jupyter + counted.ssh === 0) continue;
      pool.undrain(i.instanceId);
      kept.add(i.instanceId);
    }
    if (kept.size === 0) return plan;
    this.run.keptByDrain += kept.size;
    return { ...plan, deallocate: plan.deallocate.filter((id) => !kept.has(id)), delete: plan.delete.filter((id) => !kept.has(id)) };
  }
}
